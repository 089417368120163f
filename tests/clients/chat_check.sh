#!/usr/bin/env bash
# The chat example (examples/chat/) in two headless Chromium tabs (chat_chromium.mjs),
# served by two loops. Puppeteer-core comes from npm once, into the cache
# websocket_clients.sh uses.
# Usage: chat_check.sh PATH_TO_CHAT
set -euo pipefail
chat=$1
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
. "$here/npm_install.sh"
npm_install websocket-check puppeteer-core@23.11.1
cp "$here/chat_chromium.mjs" "$cache/"

. "$here/start_server.sh"
start_server "$chat" 2
HOME=$work node "$cache/chat_chromium.mjs" "http://127.0.0.1:$port" "$chromium"
