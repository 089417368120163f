// The demo's /ws/echo spoken to by Node's ws library (Debian's node-ws) and by headless
// Chromium running the demo's own page (/static/), which opens the WebSocket itself.
// Usage: node websocket_clients.mjs BASE_HTTP_URL CHROMIUM   (run by websocket_clients.sh)
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const WebSocket = require("ws");  // Debian's node-ws, found through NODE_PATH
const [base, chromium] = process.argv.slice(2);
const wsBase = base.replace(/^http/, "ws");
let failures = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"}  ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
};

// Opens, sends each message and collects the replies, then closes with 4002.
function echo(messages, options) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/ws/echo`, options);
    const replies = [];
    const timer = setTimeout(() => reject(new Error("timed out")), 10000);
    ws.on("open", () => messages.forEach((m) => ws.send(m)));
    ws.on("message", (data, isBinary) => {
      replies.push({ data, isBinary });
      if (replies.length === messages.length) ws.close(4002, "bye");
    });
    ws.on("close", (code) => {
      clearTimeout(timer);
      resolve({ replies, code, extensions: ws.extensions });
    });
    ws.on("error", reject);
  });
}

for (const perMessageDeflate of [true, false]) {
  const label = perMessageDeflate ? "ws, compressed" : "ws, uncompressed";
  const binary = Buffer.from(Array.from({ length: 70000 }, (_, i) => i % 251));
  const { replies, code, extensions } = await echo(["hello from node", binary, "ü".repeat(1000)], { perMessageDeflate });
  check(extensions.includes("permessage-deflate") === perMessageDeflate, `${label}: extensions`, extensions);
  check(replies[0].data.toString() === "hello from node" && !replies[0].isBinary, `${label}: text echoed as text`);
  check(Buffer.compare(replies[1].data, binary) === 0 && replies[1].isBinary, `${label}: binary echoed as binary`);
  check(replies[2].data.toString() === "ü".repeat(1000), `${label}: UTF-8 text intact`);
  check(code === 4002, `${label}: our close code is echoed`, String(code));
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/static/`, { waitUntil: "load", timeout: 30000 });
  await page.waitForFunction(() => document.getElementById("echoes").textContent.includes("binary: 1,2,3"), { timeout: 15000 });
  await page.type("#words", "hello from Chromium");
  await page.click("#say button");
  await page.waitForFunction(() => document.getElementById("echoes").textContent.includes("text: hello from Chromium"),
                             { timeout: 15000 });
  const lines = await page.$$eval("#echoes li", (items) => items.map((li) => li.textContent));
  check(lines[0] === "connected", "Chromium: the page's WebSocket opens");
  check(lines.includes("binary: 1,2,3"), "Chromium: binary comes back as binary");
  check(lines.includes("text: hello from Chromium"), "Chromium: text typed into the page comes back");
} catch (error) {
  check(false, "Chromium: the demo page's echo", String(error));
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
