#!/usr/bin/env bash
# Soak and fault runs against the demo (bench/soak/soak.py says what each checks):
#   bench/soak.sh                       all four, 10^7 requests for memory (~10 minutes)
#   bench/soak.sh --scenarios fds,resets
# Results go to bench/out/soak-<time>/soak.json; the exit status is 0 when every
# scenario met its target. Only loopback is targeted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build-only wrk python3
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF >/dev/null
fi
cmake --build build -j"$(nproc)" --target demo >/dev/null
ulimit -n "$(ulimit -Hn)"
exec /usr/bin/python3 bench/soak/soak.py "$@"
