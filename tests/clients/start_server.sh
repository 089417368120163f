# Sourced by the client scripts: start_server PROGRAM LOOPS [FLAG...] starts a cogi
# program on a free loopback port (with the flags given), in a temporary directory $work that goes when the script exits,
# and sets $server (its PID) and $port once its log says it is running.
start_server() {
  work=$(mktemp -d)
  "$1" --port 0 --loops "$2" --log-level info "${@:3}" 2> "$work/server.log" &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 200); do grep -q "running on" "$work/server.log" && break; sleep 0.05; done
  port=$(sed -n 's#.*running on http://[^ ]*:\([0-9]*\) .*#\1#p' "$work/server.log" | head -1)
  if [ -z "$port" ]; then
    echo "$1 did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
}
