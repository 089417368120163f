"""The demo's /ws/echo spoken to by Python's websockets library (Debian's
python3-websockets): text and binary echoed as sent, a large message, a subprotocol-less
handshake, compression negotiated or not, and the close handshake's code.
Usage: websocket_clients.py BASE_WS_URL   (run by websocket_clients.sh)"""
import asyncio
import os
import sys

import websockets

url = sys.argv[1] + "/ws/echo"
failures = 0


def check(ok, what, detail=""):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'}  {what}{': ' + detail if detail else ''}")
    if not ok:
        failures += 1


async def echo_round(compression):
    label = "compressed" if compression else "uncompressed"
    async with websockets.connect(url, compression=compression, max_size=8 * 1024 * 1024) as ws:
        extensions = [type(e).__name__ for e in ws.extensions]
        check(bool(extensions) == bool(compression), f"{label}: extensions agreed", str(extensions))
        await ws.send("héllo, wörld")
        check(await ws.recv() == "héllo, wörld", f"{label}: text comes back as text")
        blob = os.urandom(100_000)
        await ws.send(blob)
        check(await ws.recv() == blob, f"{label}: 100 KB of binary comes back as binary")
        large = "x" * 3_000_000
        await ws.send(large)
        check(await ws.recv() == large, f"{label}: a 3 MB text message")
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)
        check(True, f"{label}: our ping is answered")
        await ws.close(code=4001, reason="done")
        check(ws.close_code == 4001, f"{label}: the server answers our close with its code", str(ws.close_code))


async def main():
    await echo_round(compression="deflate")
    await echo_round(compression=None)


asyncio.run(main())
sys.exit(1 if failures else 0)
