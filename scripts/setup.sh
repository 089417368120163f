#!/usr/bin/env bash
# Installs the Debian bookworm packages cogi needs. Idempotent: prints nothing and
# touches nothing when all is already there.
#   scripts/setup.sh                 build and test dependencies
#   scripts/setup.sh --build-only    what building the server and demo needs
#   scripts/setup.sh ... PACKAGE...  those, plus the named packages (bench tools)
set -euo pipefail

build_packages=(
  build-essential cmake ccache pkg-config
  clang-16 libclang-rt-16-dev  # the default compiler (docs/compilers.md); its sanitizers and libFuzzer
  libasio-dev        # standalone Asio with C++20 coroutines
  node-llhttp        # llhttp 8.1 C sources, compiled into a static library
  picojson-dev       # JSON
  zlib1g-dev         # gzip for middleware/gzip: the standard implementation
  libjemalloc-dev    # the allocator: returns idle connections' memory (server/runtime/jemalloc_config.cpp)
  libpq-dev          # PostgreSQL's own client library, for clients/postgres (docs/postgres.md)
  curl ca-certificates openssl  # scripts/fetch_swagger_ui.sh: Swagger UI for /docs (docs/openapi.md)
)
test_packages=(
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # real clients the tests drive the demo with (tests/clients/real_clients.sh)
  curl python3 python3-requests python3-aiohttp nodejs apache2-utils nghttp2-client
  # the real servers the database tests run against (scripts/test_services.sh)
  postgresql-15 redis-server
  # /metrics read by Prometheus' own parser and scraped by a real Prometheus
  # (tests/clients/prometheus_scrape.py)
  python3-prometheus-client prometheus
  # the notes example against its FastAPI twin (tests/clients/notes_side_by_side.py)
  python3-fastapi python3-uvicorn
  # /docs driven in headless Chromium (tests/clients/openapi_check.sh; npm comes with
  # the machine's Node.js, or from Debian's npm when it is missing)
  chromium
  # WebSocket clients for /ws/echo and the conformance cases (tests/clients/websocket_*)
  python3-websockets python3-wsproto node-ws
  # a server cogi did not write, for the HTTP client's tests (tests/support/nginx_process.hpp)
  nginx
)

packages=("${build_packages[@]}")
if [ "${1:-}" = "--build-only" ]; then shift; else packages+=("${test_packages[@]}"); fi
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$(dirname "$0")/fetch_swagger_ui.sh"
