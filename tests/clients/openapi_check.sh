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
. "$here/npm_install.sh"
npm_install openapi-check @seriousme/openapi-schema-validator@2.11.0 puppeteer-core@23.11.1
cp "$here/openapi_check.mjs" "$cache/"

. "$here/start_server.sh"
start_server "$demo" 1
HOME=$work node "$cache/openapi_check.mjs" "http://127.0.0.1:$port" "$chromium"
