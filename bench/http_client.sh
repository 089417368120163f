#!/usr/bin/env bash
# The HTTP client benchmark (bench/http_client/run.py says what it measures): cogi's
# client against aiohttp's, fetching from nginx at 64 concurrent requests, one core each.
#   bench/http_client.sh                       3 repeats of 5 s
#   bench/http_client.sh --repeats 5 --duration 10 --path /page.html
# Results go to bench/out/<time>-http-client/ (runs.json, report.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build-only nginx python3-aiohttp python3-uvloop
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ -f build/CMakeCache.txt ]; then cmake -S . -B build >/dev/null
else cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF >/dev/null; fi
cmake --build build -j"$(nproc)" --target client_load >/dev/null
exec /usr/bin/python3 bench/http_client/run.py build "bench/out/$(date +%Y%m%d-%H%M%S)-http-client" "$@"
