#!/usr/bin/env bash
# Runs the WebSocket conformance cases (websocket_conformance.py, modelled on the
# Autobahn|Testsuite) against the demo's /ws/echo, with a 1 MiB message limit and
# permessage-deflate on.
# Usage: websocket_conformance.sh PATH_TO_DEMO
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/start_server.sh"
start_server "$1" 2 --ws-max-size 1048576 --ws-per-message-deflate
/usr/bin/python3 "$here/websocket_conformance.py" "$port"
