#!/usr/bin/env bash
# Builds cogi's fuzz targets with clang's libFuzzer (plus AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each one for a while on its corpus, one target
# per core at a time.
#   scripts/fuzz.sh 20              every target, 20 s each (what CI runs)
#   scripts/fuzz.sh 600             every target, 10 minutes each
#   scripts/fuzz.sh 600 json_reader one target
# New inputs that add coverage go to build-fuzz/corpus/<target>/ (the seeds in
# tests/fuzz/corpus/ stay as they are). A crash stops its target with the input saved as
# build-fuzz/crash-*; copy it into tests/fuzz/corpus/<target>/ once fixed, so that
# every build replays it as a regression test. The executions run are summed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
scripts/setup.sh --build-only clang-16 libclang-rt-16-dev
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_FUZZ=ON \
  -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_targets

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(request_head chunked_body llhttp_differential websocket_frames url_encoding cookies byte_range json_reader model_read multipart
           http_response)
fi
# Each target is single-threaded: one per core halves the wall time on CI's 2 cores.
run_target() {
  local t=$1 corpus=build-fuzz/corpus/$1 log=build-fuzz/fuzz_$1.log
  mkdir -p "$corpus"
  if ! (cd build-fuzz && ./tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -print_final_stats=1 "corpus/$t" "../tests/fuzz/corpus/$t") >"$log" 2>&1; then
    echo "FAILED" >"$log.status"
  else
    echo "ok" >"$log.status"
  fi
}
jobs=$(nproc)
running=0
for t in "${targets[@]}"; do
  echo "== $t: ${seconds} s"
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

total=0
status=0
for t in "${targets[@]}"; do
  log=build-fuzz/fuzz_$t.log
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  if [ "$(cat "$log.status")" != ok ]; then
    echo "FAILED: $t (see $log)"; grep -m5 -E "ERROR|property violated|SUMMARY" "$log" || true
    status=1
  else
    echo "$t: $runs executions"
  fi
  total=$((total + runs))
done
echo "fuzz: $total executions in all"
exit $status
