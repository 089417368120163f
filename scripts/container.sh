#!/usr/bin/env bash
# The container image, built and checked on this machine (docs/container.md), with
# rootful podman and no registry: when Debian's base images cannot be pulled, they are
# made locally with debootstrap and `podman import`, under the names the Dockerfile's
# FROM lines use, and `podman build --pull=never` never reaches a registry.
#
#   scripts/container.sh test    build the image, run it, check health, metrics, the
#                                CPU quota and a SIGTERM drain under load; check
#                                deploy/k8s/ (scripts/kube_check.sh: the API schemas,
#                                `podman kube play`, its probes); then remove everything
#                                it made (the default)
#   scripts/container.sh build   build the image as localhost/cogi-demo:latest and keep it
#   scripts/container.sh kube    build the image and check deploy/k8s/ only
#
# Skipped, with a line that says so, where podman is not installed or not as root.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

if ! command -v podman >/dev/null 2>&1; then
  echo "container: SKIPPED: podman is not installed (apt-get install podman runc debootstrap)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "container: SKIPPED: the checks use rootful podman; run as root"
  exit 0
fi

work=$(mktemp -d /tmp/cogi-container.XXXXXX)
# podman's settings for this machine kind, for these commands only: cgroupfs (no
# systemd to manage cgroups), and descriptor limits a server under load needs.
cat >"$work/containers.conf" <<'CONF'
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
CONF
export CONTAINERS_CONF=$work/containers.conf

image=localhost/cogi-demo:check-$$
[ "$mode" = build ] && image=localhost/cogi-demo:latest
made_images=()
containers=()
cleanup() {
  local status=$?
  for c in "${containers[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  if [ "$mode" != build ]; then
    podman rmi -f "$image" >/dev/null 2>&1 || true
    for i in "${made_images[@]}"; do podman rmi -f "$i" >/dev/null 2>&1 || true; done
    podman image prune -f >/dev/null 2>&1 || true  # the build stage's layers
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
check_name=container
. scripts/container_common.sh

# ---- base images -------------------------------------------------------------------
rootfs=
make_rootfs() {
  [ -n "$rootfs" ] && return
  command -v debootstrap >/dev/null 2>&1 || scripts/setup.sh --build-only debootstrap
  rootfs=$work/rootfs
  step "making a Debian bookworm base with debootstrap --variant=minbase"
  local start=$SECONDS
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  echo "   debootstrap: $((SECONDS - start)) s, $(du -sh "$rootfs" | cut -f1)"
}

base_image() {  # NAME (debian:bookworm or debian:bookworm-slim)
  local name=docker.io/library/$1
  podman image exists "$name" && return
  if timeout 30 podman pull -q "$name" >/dev/null 2>&1; then
    made_images+=("$name")
    echo "   pulled $name"
    return
  fi
  make_rootfs
  local tree=$rootfs
  if [[ $1 == *-slim ]]; then
    # What Debian's slim images leave out, and keep out of later installs.
    tree=$work/rootfs-slim
    cp -a "$rootfs" "$tree"
    rm -rf "$tree"/usr/share/doc/* "$tree"/usr/share/man/* "$tree"/usr/share/info/* "$tree"/usr/share/locale/*
    cat >"$tree/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
  fi
  tar -C "$tree" -c . | podman import -q - "$name" >/dev/null
  made_images+=("$name")
  echo "   imported $name ($(podman image inspect --format '{{.Size}}' "$name" | awk '{printf "%.0f MB", $1/1e6}'))"
}

# ---- the image -------------------------------------------------------------------
build_image() {
  step "base images"
  base_image debian:bookworm
  base_image debian:bookworm-slim
  # The Swagger UI tarball, fetched here where TLS is trusted, goes in with scripts/.
  scripts/fetch_swagger_ui.sh --tarball-only || fail "fetching swagger-ui-dist"
  step "podman build --pull=never --format docker -t $image ."
  local start=$SECONDS
  podman build --pull=never --format docker -t "$image" . >"$work/build.log" 2>&1 ||
    { tail -40 "$work/build.log"; fail "podman build"; }
  size=$(podman image inspect --format '{{.Size}}' "$image")
  echo "   built in $((SECONDS - start)) s; image size $(awk -v s="$size" 'BEGIN {printf "%.1f MB", s/1e6}')"
}

check_image_config() {
  local user health
  user=$(podman image inspect --format '{{.Config.User}}' "$image")
  [ "$user" = "10001:10001" ] || fail "the image runs as '$user', not 10001:10001"
  health=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$image")
  [[ $health == *--healthcheck* ]] || fail "no HEALTHCHECK in the image config: $health"
  echo "ok    runs as $user; HEALTHCHECK $health"
}

run_container() {  # NAME PORT [podman run options...]
  local name=$1 port=$2; shift 2
  # No health-check timer (podman would ask systemd for one, and there is none here):
  # `podman healthcheck run` runs the image's HEALTHCHECK when the checks ask.
  podman run -d --name "$name" -p "127.0.0.1:$port:8000" --health-interval disable "$@" "$image" \
    >"$work/run-$name.log" 2>&1 || { cat "$work/run-$name.log"; fail "podman run"; }
  containers+=("$name")
}

metric() {  # PORT NAME: the value of an unlabelled sample
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n {print $2}'
}

check_serving() {
  local name=cogi-check-$$ port
  port=$(free_port)
  run_container "$name" "$port"
  wait_for 60 "the container's health check to pass" podman healthcheck run "$name"
  echo "ok    podman healthcheck run: healthy"
  [ "$(curl -sf "http://127.0.0.1:$port/plaintext")" = "Hello, World!" ] || fail "GET /plaintext"
  [ "$(curl -sf "http://127.0.0.1:$port/readyz")" = "ready" ] || fail "GET /readyz"
  # The API's document and Swagger UI, served by the binary itself (nothing beside it).
  curl -sf "http://127.0.0.1:$port/openapi.json" | grep -q '"openapi":"3.1.0"' || fail "GET /openapi.json"
  curl -sf "http://127.0.0.1:$port/docs/swagger-ui-bundle.js" | grep -q SwaggerUIBundle || fail "GET /docs' Swagger UI"
  echo "ok    /openapi.json and /docs served from the image"
  local loops
  loops=$(metric "$port" cogi_loops)
  [ "$loops" = "$(nproc)" ] || fail "$loops loops without a CPU limit, on $(nproc) CPUs"
  echo "ok    serves on 127.0.0.1:$port; $loops loops on $(nproc) CPUs"

  # SIGTERM with requests in flight: every one completes, and the exit status is 0.
  local clients=16 pids=()
  for i in $(seq $clients); do
    curl -s -o "$work/sleep.$i" -w '%{http_code}' "http://127.0.0.1:$port/sleep?ms=3000" >"$work/status.$i" &
    pids+=($!)
  done
  in_flight() { [ "$(metric "$port" http_requests_in_flight)" = "$clients" ]; }
  wait_for 30 "$clients requests in flight" in_flight
  podman stop -t 30 "$name" >"$work/stop.log" 2>&1 &
  local stopper=$!
  local failed=0
  for i in $(seq $clients); do
    wait "${pids[$((i - 1))]}" || true
    [ "$(cat "$work/status.$i")" = 200 ] && [ "$(cat "$work/sleep.$i")" = ok ] || failed=$((failed + 1))
  done
  wait $stopper
  [ $failed -eq 0 ] || fail "$failed of $clients in-flight requests failed during the SIGTERM drain"
  local exit_code
  exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  [ "$exit_code" = 0 ] || fail "exit status $exit_code after SIGTERM"
  podman logs "$name" 2>&1 | grep -q "Finished server process" || fail "no 'Finished server process' in the log"
  echo "ok    SIGTERM during $clients in-flight requests: all answered 200, exit status 0"
}

check_cpu_quota() {
  local name=cogi-cpus-$$ port
  port=$(free_port)
  run_container "$name" "$port" --cpus 1
  wait_for 60 "the CPU-limited container to serve" curl -sf "http://127.0.0.1:$port/healthz"
  local loops
  loops=$(metric "$port" cogi_loops)
  [ "$loops" = 1 ] || fail "--cpus 1 gave $loops loops"
  echo "ok    podman run --cpus 1: 1 loop (the cgroup's CPU quota)"
}

case $mode in
  build)
    build_image
    ;;
  test)
    build_image
    check_image_config
    check_serving
    check_cpu_quota
    scripts/kube_check.sh "$image"
    echo "container: passed (image $(awk -v s="$size" 'BEGIN {printf "%.1f MB", s/1e6}'))"
    ;;
  kube)
    build_image
    scripts/kube_check.sh "$image"
    echo "container: deploy/k8s passed"
    ;;
  *)
    echo "usage: scripts/container.sh [test|build|kube]" >&2
    exit 2
    ;;
esac
