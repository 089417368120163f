#!/usr/bin/env bash
# The demo's WebSocket echo (/ws/echo) checked by real clients over loopback: Python's
# websockets, Node's ws and headless Chromium on the demo's page, with permessage-deflate
# on (each client offers it; the Python one also connects without). Puppeteer-core comes
# from npm once, into the same cache as openapi_check.sh's.
# Usage: websocket_clients.sh PATH_TO_DEMO
set -euo pipefail
demo=$1
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
. "$here/npm_install.sh"
npm_install websocket-check puppeteer-core@23.11.1
cp "$here/websocket_clients.mjs" "$cache/"

. "$here/start_server.sh"
start_server "$demo" 2 --ws-per-message-deflate
status=0
/usr/bin/python3 "$here/websocket_clients.py" "ws://127.0.0.1:$port" || status=1
# Debian's node-ws lives in /usr/share/nodejs, which a Node.js from elsewhere does not search.
HOME=$work NODE_PATH=/usr/share/nodejs node "$cache/websocket_clients.mjs" "http://127.0.0.1:$port" "$chromium" || status=1
exit $status
