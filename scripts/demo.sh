#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds cogi and serves the demo app on
# http://127.0.0.1:8000 (pass any server flag, e.g. --loops 2; --help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --build-only
scripts/build_demo.sh
exec build/examples/demo "$@"
