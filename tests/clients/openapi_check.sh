#!/usr/bin/env bash
# Runs tests/clients/openapi_check.mjs against the demo: a real OpenAPI validator
# (@seriousme/openapi-schema-validator) and Swagger UI in headless Chromium (Debian's,
# driven by puppeteer-core). The npm packages are pinned and installed once into a
# cache directory (COGI_NPM_CACHE, default ~/.cache/cogi-npm).
# Usage: openapi_check.sh PATH_TO_DEMO
set -euo pipefail
demo=$1
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
cache=${COGI_NPM_CACHE:-$HOME/.cache/cogi-npm}/openapi-check
packages=("@seriousme/openapi-schema-validator@2.11.0" "puppeteer-core@23.11.1")

command -v npm >/dev/null 2>&1 || "$here/../../scripts/setup.sh" --build-only npm
if [ ! -f "$cache/installed" ] || [ "$(cat "$cache/installed")" != "${packages[*]}" ]; then
  mkdir -p "$cache"
  echo '{"type": "module", "private": true}' > "$cache/package.json"
  (cd "$cache" && npm install --silent --no-audit --no-fund "${packages[@]}" >/dev/null)
  echo "${packages[*]}" > "$cache/installed"
fi
cp "$here/openapi_check.mjs" "$cache/"

. "$here/start_server.sh"
start_server "$demo" 1
HOME=$work node "$cache/openapi_check.mjs" "http://127.0.0.1:$port" "$chromium"
