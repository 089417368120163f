#!/usr/bin/env bash
# What a handler writer waits for (issue 15): the compile time of a 20-route typed app
# (bench/compile/twenty_routes.cpp), whole and split one resource per translation unit,
# and the rebuild after one handler is edited. ccache off; the libraries are built first
# and not counted; each figure is the median of REPEATS runs.
#   bench/compile_time.sh [REPEATS]   (default 3; clang 16 unless CXX says otherwise)
# The edit is a changed string literal in one handler, made in place and undone on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
dir=build-compile-time
source=bench/compile/twenty_routes.cpp
export CCACHE_DISABLE=1
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF -DCOGI_BUILD_EXAMPLES=OFF \
  -DCMAKE_CXX_COMPILER="${CXX:-clang++-16}" -DCMAKE_C_COMPILER="${CC:-clang-16}" >/dev/null
cmake --build "$dir" -j"$(nproc)" --target cogi_runtime cogi_framework >/dev/null

cp "$source" "$dir/twenty_routes.cpp.orig"
trap 'cp "$dir/twenty_routes.cpp.orig" "$source"' EXIT

seconds() {  # command...: wall-clock seconds it took
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk "BEGIN {printf \"%.2f\", $end - $start}"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
edit_one_handler() {  # a different literal in the users' 404 each time: a real recompile
  sed -i "0,/\"not found\"/s//\"not found $RANDOM\"/" "$source"
}

measure() {  # target objects_to_remove...: full build, then rebuild after an edit
  local target=$1; shift
  local full=() again=()
  for _ in $(seq "$repeats"); do
    cp "$dir/twenty_routes.cpp.orig" "$source"
    find "$dir/bench" -name 'twenty_routes*.o' -delete 2>/dev/null || true
    rm -f "$dir/bench/$target"
    full+=("$(seconds cmake --build "$dir" -j"$(nproc)" --target "$target")")
    edit_one_handler
    again+=("$(seconds cmake --build "$dir" -j"$(nproc)" --target "$target")")
  done
  printf '%-22s full build %6.1f s   after one handler edit %6.1f s   (medians of %d; runs: %s | %s)\n' "$target" \
    "$(printf '%s\n' "${full[@]}" | median)" "$(printf '%s\n' "${again[@]}" | median)" "$repeats" \
    "${full[*]}" "${again[*]}"
}

echo "compiler: $("${CXX:-clang++-16}" --version | head -1); $(nproc) cores"
measure twenty_routes
measure twenty_routes_split
