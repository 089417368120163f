#!/usr/bin/env bash
# Compiles FILE with the given command and checks that it fails, and that the
# compiler's output has every expected sentence (one per line of EXPECTED_FILE).
# Usage: check_messages.sh EXPECTED_FILE COMPILE_COMMAND...
set -uo pipefail
expected=$1; shift
output=$("$@" 2>&1)
status=$?
if [ $status -eq 0 ]; then
  echo "FAIL: the mistakes compiled"
  exit 1
fi
missing=0
while IFS= read -r sentence; do
  [ -z "$sentence" ] && continue
  if grep -qF -- "$sentence" <<<"$output"; then
    echo "ok    $sentence"
  else
    echo "FAIL  not said: $sentence"
    missing=1
  fi
done < "$expected"
[ $missing -eq 0 ] || { echo "--- compiler output (first 60 lines):"; head -60 <<<"$output"; }
exit $missing
