#!/usr/bin/env bash
# User-space instructions per request of a cogi server program, under callgrind: a
# count that, unlike a timing, does not move with the machine's other load (there are
# no hardware counters for perf stat on the VMs here). For judging a change on the
# request path beside bench/run.sh --baseline; the kernel's share is not counted.
#
#   bench/instructions_per_request.sh [BINARY] [PATH] [REQUESTS]
#   bench/instructions_per_request.sh build/examples/demo /json 20000
#
# The server starts on one loop under callgrind; after a warm-up the counters are
# zeroed, ab sends REQUESTS keep-alive requests on 32 connections from loopback, and
# the instructions counted are divided by REQUESTS.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/examples/demo}
path=${2:-/plaintext}
requests=${3:-20000}
port=${PORT:-8091}

scripts/setup.sh --build-only valgrind apache2-utils
out=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out"' EXIT

valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  "$binary" --loops 1 --port "$port" --log-level warning >"$out/valgrind.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port$path" >/dev/null 2>&1 && break
  sleep 0.2
done
ab -k -q -n 1000 -c 32 "http://127.0.0.1:$port$path" >/dev/null  # warm-up: buffers, caches
callgrind_control --zero "$server" >/dev/null 2>&1
ab -k -q -n "$requests" -c 32 "http://127.0.0.1:$port$path" >"$out/ab.txt"
grep -q "^Failed requests: *0" "$out/ab.txt" || { cat "$out/ab.txt"; exit 1; }
callgrind_control --dump "$server" >/dev/null 2>&1
kill -INT "$server"; wait "$server" || true

# The dump taken after zeroing is part 1 (the exit writes the rest to callgrind.out).
total=$(awk '/^totals:|^summary:/ {print $2; exit}' "$out/callgrind.out.1")
echo "$binary $path: $((total / requests)) instructions per request ($requests requests)"
