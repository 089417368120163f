#!/usr/bin/env bash
# The chat example (examples/chat/) in two headless Chromium tabs (chat_chromium.mjs),
# served by two loops. Puppeteer-core comes from npm once, into the cache
# websocket_clients.sh uses.
# Usage: chat_check.sh PATH_TO_CHAT
set -euo pipefail
chat=$1
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
cache=${COGI_NPM_CACHE:-$HOME/.cache/cogi-npm}/websocket-check
packages=("puppeteer-core@23.11.1")

command -v npm >/dev/null 2>&1 || "$here/../../scripts/setup.sh" --build-only npm
if [ ! -f "$cache/installed" ] || [ "$(cat "$cache/installed")" != "${packages[*]}" ]; then
  mkdir -p "$cache"
  echo '{"type": "module", "private": true}' > "$cache/package.json"
  (cd "$cache" && npm install --silent --no-audit --no-fund "${packages[@]}" >/dev/null)
  echo "${packages[*]}" > "$cache/installed"
fi
cp "$here/chat_chromium.mjs" "$cache/"

. "$here/start_server.sh"
start_server "$chat" 2
HOME=$work node "$cache/chat_chromium.mjs" "http://127.0.0.1:$port" "$chromium"
