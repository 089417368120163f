#!/usr/bin/env bash
# The WebSocket benchmark (bench/websocket/run.py says what it measures): cogi against
# uvicorn + websockets and Node's ws, one core each, the C++ load generator on the other.
#   bench/websocket.sh                  3 repeats of 5 s, 10,000 idle connections
#   bench/websocket.sh --repeats 5 --duration 10
# Results go to bench/out/<time>-websocket/ (runs.json, report.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build-only python3-uvicorn python3-uvloop python3-httptools python3-websockets nodejs node-ws
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ -f build/CMakeCache.txt ]; then cmake -S . -B build >/dev/null
else cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF >/dev/null; fi
cmake --build build -j"$(nproc)" --target ws_app ws_load >/dev/null
ulimit -n "$(ulimit -Hn)"
exec /usr/bin/python3 bench/websocket/run.py build "bench/out/$(date +%Y%m%d-%H%M%S)-websocket" "$@"
