// What bench/websocket.sh measures Node's ws library with (Debian's node-ws).
//   /ws/echo     every message back as it came
//   /ws/fanout   listeners; /ws/fanout?send=1 is the sender, whose every message goes to
//                all listeners
// Usage: NODE_PATH=/usr/share/nodejs node ws_node.mjs PORT
import { createRequire } from "node:module";
import http from "node:http";

const require = createRequire(import.meta.url);
const { WebSocketServer } = require("ws");
const port = Number(process.argv[2]);
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
const listeners = new Set();

server.on("upgrade", (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/ws/echo") {
      ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    } else if (url.searchParams.get("send") === "1") {
      ws.on("message", (data) => {
        const text = data.toString();
        for (const listener of listeners) listener.send(text);
      });
    } else {
      listeners.add(ws);
      ws.on("close", () => listeners.delete(ws));
    }
  });
});
server.listen(port, "127.0.0.1", () => console.error(`listening on ${port}`));
