#!/usr/bin/env bash
# The load benchmark in one command (issue 5): installs what it needs from Debian,
# builds cogi's demo and the C++ peer, and measures every server in every scenario.
#
#   bench/run.sh                 everything: 7 servers x 7 scenarios, 10 s x 3 (~35 min)
#   bench/run.sh --quick         cogi and nginx, 4 scenarios, 3 s x 3 (~1.5 min), and the
#                                change against the previous quick run
#   bench/run.sh --suite db      the TechEmpower database tests against a PostgreSQL 15
#                                started for the run, and a restart of it under load
#   bench/run.sh --suite model   a typed handler (POST /model) against the same route by
#                                hand and against FastAPI
#   bench/run.sh --help          servers, scenarios, durations, output directory
#
# Results go to bench/out/<time>-<mode>/: runs.csv (every run), summary.csv (medians),
# report.md (tables, ratios, targets) and PNG plots. Only loopback is ever targeted.
set -euo pipefail
cd "$(dirname "$0")/.."

case " $* " in *" --help "*|*" -h "*) exec /usr/bin/python3 bench/harness/main.py --help ;; esac

scripts/setup.sh --build-only wrk nginx-light python3 python3-matplotlib \
  gunicorn python3-flask python3-waitress libcpp-httplib-dev \
  python3-uvicorn python3-uvloop python3-httptools python3-starlette \
  postgresql-15 redis-server python3-asyncpg python3-psycopg python3-psycopg-pool python3-jinja2 \
  python3-fastapi python3-pydantic

# Configure again so that CMake finds cpp-httplib if it was just installed; an existing
# build directory keeps its settings.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ -f build/CMakeCache.txt ]; then cmake -S . -B build >/dev/null
else cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGI_BUILD_TESTS=OFF >/dev/null; fi
cmake --build build -j"$(nproc)" --target demo raw_contract_app httplib_server techempower \
  model_app model_app_handwritten >/dev/null

# 10,000 held connections plus the load need more descriptors than the usual 1,024.
ulimit -n "$(ulimit -Hn)"
exec /usr/bin/python3 bench/harness/main.py "$@"
