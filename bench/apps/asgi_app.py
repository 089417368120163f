"""The three bench endpoints as a Starlette (ASGI) app, for uvicorn: the ASGI peer.

/sleep awaits asyncio.sleep(), so a waiting request holds no thread.
"""
import asyncio

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


async def plaintext(request):
    return PlainTextResponse("Hello, World!")


async def json(request):
    return JSONResponse({"message": "Hello, World!"})


async def sleep(request):
    await asyncio.sleep(int(request.query_params.get("ms", "0")) / 1000)
    return PlainTextResponse("ok")


app = Starlette(routes=[
    Route("/plaintext", plaintext),
    Route("/json", json),
    Route("/sleep", sleep),
])
