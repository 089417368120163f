#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds cogi and runs every test three times: in an
# optimised build, in an AddressSanitizer + UndefinedBehaviorSanitizer build, and in a
# ThreadSanitizer build (loops, blocking pool and thread bridges share data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
# ccache may reuse objects built against a precompiled header.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime

run_variant() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 300)
}

echo "== release build: tests"
run_variant build
echo "== address + undefined behaviour sanitizer build: tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_variant build-asan -DCOGI_SANITIZE=ON
echo "== thread sanitizer build: tests"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  run_variant build-tsan -DCOGI_TSAN=ON
