# What scripts/container.sh and scripts/kube_check.sh share; sourced, with `check_name`
# set to the name their messages start with.

fail() { echo "$check_name: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

# A free port on loopback, for publishing a container's port there.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Polls `command...` until it succeeds, for at most `seconds`: for signals the
# container gives (health, a metric), never a fixed sleep.
wait_for() {  # SECONDS WHAT COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out waiting for $what"
    sleep 0.2
  done
}
