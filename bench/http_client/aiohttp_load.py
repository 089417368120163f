"""aiohttp's side of bench/http_client.sh: CONNECTIONS tasks on one event loop, each
fetching URL and reading the body, one request after another, for SECONDS, through one
ClientSession whose connector keeps up to CONNECTIONS connections alive; then one JSON
line, as client_load prints. uvloop when installed (it is with the bench's packages).

Usage: aiohttp_load.py URL CONNECTIONS SECONDS"""
import asyncio
import json
import sys
import time

import aiohttp


async def fetch_until(session, url, end, sums):
    while time.monotonic() < end:
        try:
            async with session.get(url) as response:
                body = await response.read()
                sums["bytes"] += len(body)
                sums["requests" if response.status == 200 else "failures"] += 1
        except aiohttp.ClientError:
            sums["failures"] += 1


async def main(url, connections, seconds):
    sums = {"requests": 0, "failures": 0, "bytes": 0}
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.monotonic()
        end = start + seconds
        await asyncio.gather(*(fetch_until(session, url, end, sums) for _ in range(connections)))
        sums["seconds"] = round(time.monotonic() - start, 3)
    print(json.dumps(sums))


if __name__ == "__main__":
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
