#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds cogi and serves the demo app on
# http://127.0.0.1:8000 (pass any server flag, e.g. --loops 2; --help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build-only
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target demo
exec build/examples/demo "$@"
