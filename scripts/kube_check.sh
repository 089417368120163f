#!/usr/bin/env bash
# deploy/k8s/ checked on this machine (deploy/README.md), with the image IMAGE built
# by scripts/container.sh (which calls this):
#   1. against the Kubernetes API's schemas (scripts/kube_validate.mjs, its packages
#      from npm: kubernetes-models, js-yaml, typescript);
#   2. played with rootful `podman kube play`: the pod starts as the non-root user on a
#      read-only root filesystem, its probes pass, it answers, and deleting it drains.
# Usage: scripts/kube_check.sh IMAGE   (CONTAINERS_CONF as scripts/container.sh sets it)
set -euo pipefail
cd "$(dirname "$0")/.."
image=$1
work=$(mktemp -d /tmp/cogi-kube.XXXXXX)
played=
pause_image=localhost/podman-pause:$(podman version --format '{{.Client.Version}}')-0
pause_was_there=false
podman image exists "$pause_image" && pause_was_there=true
cleanup() {
  local status=$?
  [ -n "$played" ] && podman kube down "$played" >/dev/null 2>&1 || true
  # podman builds its pause image for the pod: gone again unless it was there before.
  $pause_was_there || podman rmi -f "$pause_image" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
check_name=kube
. scripts/container_common.sh

step "deploy/k8s/*.yaml against the Kubernetes API schemas"
command -v npm >/dev/null 2>&1 || scripts/setup.sh --build-only npm
mkdir -p "$work/npm"
cp scripts/kube_validate.mjs "$work/npm/"
echo '{"type": "module", "private": true}' >"$work/npm/package.json"
(cd "$work/npm" && npm install --silent --no-audit --no-fund \
   kubernetes-models@5.1.0 js-yaml@4.1.0 typescript@5.6.3 >/dev/null) || fail "npm install"
node "$work/npm/kube_validate.mjs" deploy/k8s/*.yaml

step "podman kube play deploy/k8s/deployment.yaml"
# A pod's infra container is a pause image podman builds locally around catatonit (no
# registry to pull one from).
command -v catatonit >/dev/null 2>&1 || [ -x /usr/libexec/podman/catatonit ] || scripts/setup.sh --build-only catatonit
# The test reaches the pod through a port published on loopback: a hostPort added to a
# copy of the manifest (the manifest itself publishes nothing), with the image built
# here and one replica (two would compete for the host port).
port=$(free_port)
sed -e "s|image: localhost/cogi-demo:latest|image: $image|" -e "s|^  replicas: 2$|  replicas: 1|" \
    -e "s|              containerPort: 8000|              containerPort: 8000\n              hostIP: 127.0.0.1\n              hostPort: $port|" \
    deploy/k8s/deployment.yaml >"$work/deployment.yaml"
grep -q "hostPort: $port" "$work/deployment.yaml" || fail "could not publish the port in the test copy"
grep -q "replicas: 1" "$work/deployment.yaml" || fail "could not set one replica in the test copy"
played=$work/deployment.yaml  # from here on, cleanup takes down whatever was played
podman kube play "$work/deployment.yaml" >"$work/play.log" 2>&1 || { cat "$work/play.log"; fail "podman kube play"; }
grep -v 'level=error msg="unable to get systemd connection' "$work/play.log" | sed 's/^/   /' || true
pod=$(podman pod ps --format '{{.Name}}' --filter name=cogi-demo | head -1)
[ -n "$pod" ] || fail "no pod named cogi-demo"
container=$(podman ps --format '{{.Names}}' --filter "pod=$pod" | grep -v infra | head -1)
[ -n "$container" ] || fail "no container in pod $pod"
echo "   pod $pod, container $container"

state() { podman inspect --format "$1" "$container"; }
[ "$(state '{{.Config.User}}')" = "10001:10001" ] || [ "$(state '{{.Config.User}}')" = "10001" ] ||
  fail "runs as '$(state '{{.Config.User}}')'"
[ "$(state '{{.HostConfig.ReadonlyRootfs}}')" = true ] || fail "the root filesystem is writable"
echo "ok    runs as $(state '{{.Config.User}}') on a read-only root filesystem"

# The liveness probe becomes the container's health check under podman.
wait_for 60 "the liveness probe to pass" podman healthcheck run "$container"
echo "ok    liveness probe (podman healthcheck run): healthy"
# The readiness and startup probes' command, run as the kubelet would.
podman exec "$container" /usr/local/bin/cogi-demo --healthcheck --health-path /readyz ||
  fail "the readiness probe's command failed"
echo "ok    readiness probe command: ready"
[ "$(curl -sf "http://127.0.0.1:$port/plaintext")" = "Hello, World!" ] || fail "GET /plaintext"
loops=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '$1 == "cogi_loops" {print $2}')
echo "ok    the pod answers on 127.0.0.1:$port ($loops loops: its CPU limit is 2, this machine has $(nproc))"
podman logs "$container" 2>&1 | head -3 | sed 's/^/   log: /'

step "stopping the pod: SIGTERM drains"
podman pod stop -t 35 "$pod" >"$work/stop.log" 2>&1 || { cat "$work/stop.log"; fail "podman pod stop"; }
[ "$(state '{{.State.ExitCode}}')" = 0 ] || fail "exit status $(state '{{.State.ExitCode}}') after SIGTERM"
podman logs "$container" 2>&1 | grep -q '"Finished server process"' || fail "no 'Finished server process' in the log"
echo "ok    SIGTERM: the server drained and exited 0"
podman kube down "$played" >"$work/down.log" 2>&1 || { cat "$work/down.log"; fail "podman kube down"; }
played=
echo "kube: passed"
