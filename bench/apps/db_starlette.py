"""The TechEmpower database endpoints on Starlette with asyncpg, for uvicorn: the ASGI
peer of the database suite."""
import asyncpg
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Route

import db_asyncpg
from db_common import DATABASE_URL, POOL_SIZE, count

pool = None


async def startup():
    global pool
    pool = await asyncpg.create_pool(DATABASE_URL, min_size=POOL_SIZE, max_size=POOL_SIZE)


async def shutdown():
    await pool.close()


async def plaintext(request):
    return PlainTextResponse("Hello, World!")


async def json(request):
    return JSONResponse({"message": "Hello, World!"})


async def db(request):
    return JSONResponse(await db_asyncpg.one_world(pool))


async def queries(request):
    return JSONResponse(await db_asyncpg.worlds(pool, count(request.query_params.get("queries"))))


async def fortunes(request):
    return HTMLResponse(await db_asyncpg.fortunes_page(pool))


async def updates(request):
    return JSONResponse(await db_asyncpg.updated_worlds(pool, count(request.query_params.get("queries"))))


async def cached_queries(request):
    return JSONResponse(await db_asyncpg.cached_worlds(pool, count(request.query_params.get("count"))))


app = Starlette(routes=[
    Route("/plaintext", plaintext),
    Route("/json", json),
    Route("/db", db),
    Route("/queries", queries),
    Route("/fortunes", fortunes),
    Route("/updates", updates),
    Route("/cached-queries", cached_queries),
], on_startup=[startup], on_shutdown=[shutdown])
