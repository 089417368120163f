#!/usr/bin/env bash
# Builds build/examples/demo (optimised, with debug info). A build directory that exists
# keeps its settings, so the tests that scripts/test.sh configured there stay built.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF >/dev/null
fi
cmake --build build -j"$(nproc)" --target demo "$@"
