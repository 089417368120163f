"""What bench/websocket.sh measures uvicorn (with the websockets library) with: a bare
ASGI app, so that the server, not a framework, is what is measured.
  /ws/echo     every message back as it came
  /ws/fanout   listeners; /ws/fanout?send=1 is the sender, whose every message goes to
               all listeners, one send after another"""

listeners = set()


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    if scope["path"] == "/ws/echo":
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            await send({"type": "websocket.send", "text": message.get("text"), "bytes": message.get("bytes")})
    if scope["query_string"] != b"send=1":
        listeners.add(send)
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            listeners.discard(send)
        return
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        for listener in list(listeners):
            await listener({"type": "websocket.send", "text": message.get("text")})
