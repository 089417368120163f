"""C10K client: opens COUNT keep-alive connections to a server, makes one request on
each, and holds them idle. Driven over stdin/stdout by the harness:

  prints  {"held": N, "failed": F, "open_seconds": S}   once the connections are open
  reads   "check" -> one more request on every held connection;
          prints {"alive": A}  (answered 200 on a connection that was still open)
  reads   "close" (or end of input) -> closes everything and exits

Connections are opened at most OPENING at a time, so that the server's listen backlog,
not a burst from this client, decides whether a connection gets in; the requests are
then all outstanding together, so a server that cannot answer them costs one timeout,
not one per connection.
"""
import argparse
import asyncio
import json
import sys

OPENING = 200


async def read_response(reader):
    """Reads one response with a Content-Length body; returns its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def exchange(connection, request, timeout_s):
    reader, writer = connection
    writer.write(request)
    await writer.drain()
    return await asyncio.wait_for(read_response(reader), timeout_s)


async def answered(connection, request, timeout_s):
    """One request on connection: True when it is answered 200 in time."""
    try:
        return await exchange(connection, request, timeout_s) == 200
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
        return False


async def open_one(host, port, request, gate, timeout_s):
    async with gate:
        try:
            connection = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        except (OSError, asyncio.TimeoutError):
            return None
    if await answered(connection, request, timeout_s):
        return connection
    connection[1].close()
    return None


def say(message):
    print(json.dumps(message), flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--path", default="/plaintext")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per connect and per response")
    args = parser.parse_args()
    request = f"GET {args.path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n\r\n".encode()

    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(OPENING)
    started = loop.time()
    opened = await asyncio.gather(*(open_one(args.host, args.port, request, gate, args.timeout)
                                    for _ in range(args.count)))
    held = [c for c in opened if c is not None]
    say({"held": len(held), "failed": args.count - len(held), "open_seconds": round(loop.time() - started, 2)})

    while True:
        command = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if command == "check":
            answers = await asyncio.gather(*(answered(c, request, args.timeout) for c in held))
            say({"alive": sum(answers)})
        else:
            break
    for _, writer in held:
        writer.close()


if __name__ == "__main__":
    asyncio.run(main())
