#!/usr/bin/env bash
# What a handler writer waits for (issue 15): the compile time of a 20-route typed app
# (bench/compile/), built as one translation unit (twenty_routes) and as one per resource
# (twenty_routes_split), and the rebuild after one handler is edited, in an optimised
# build (RelWithDebInfo) and a debug one. ccache off; the libraries and the precompiled
# header of cogi's headers the app uses (cogi_app_pch, as docs/typed_handlers.md advises
# an app to have) are built first and not counted; each figure is the median of REPEATS
# runs.
#   bench/compile_time.sh [REPEATS]   (default 3; clang 16 unless CXX says otherwise)
# The edit is a changed string literal in one handler of split/users.cpp, made in place
# and undone on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
edited=bench/compile/split/users.cpp
export CCACHE_DISABLE=1
backup=$(mktemp)
cp "$edited" "$backup"
trap 'cp "$backup" "$edited"; rm -f "$backup"' EXIT

seconds() {  # command...: the wall-clock seconds it took
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk "BEGIN {printf \"%.2f\", $end - $start}"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() {  # build_dir target: a full build of the target, then a rebuild after one edit
  local dir=$1 target=$2 full=() again=()
  for _ in $(seq "$repeats"); do
    cp "$backup" "$edited"
    find "$dir/bench" -path '*twenty_routes*' -name '*.o' -delete 2>/dev/null || true
    full+=("$(seconds cmake --build "$dir" -j"$(nproc)" --target "$target")")
    sed -i "0,/\"not found\"/s//\"not found $RANDOM\"/" "$edited"
    again+=("$(seconds cmake --build "$dir" -j"$(nproc)" --target "$target")")
  done
  printf '  %-20s full build %5.1f s   after one handler edit %5.1f s   (runs: %s | %s)\n' "$target" \
    "$(printf '%s\n' "${full[@]}" | median)" "$(printf '%s\n' "${again[@]}" | median)" "${full[*]}" "${again[*]}"
}

echo "compiler: $("${CXX:-clang++-16}" --version | head -1); $(nproc) cores; medians of $repeats"
for type in RelWithDebInfo Debug; do
  dir=build-compile-time-$type
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=$type -DCOGI_BUILD_TESTS=OFF -DCOGI_BUILD_EXAMPLES=OFF \
    -DCMAKE_CXX_COMPILER="${CXX:-clang++-16}" -DCMAKE_C_COMPILER="${CC:-clang-16}" >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target cogi_runtime cogi_framework cogi_app_pch >/dev/null
  echo "$type:"
  measure "$dir" twenty_routes
  measure "$dir" twenty_routes_split
done
