"""The TechEmpower database endpoints on Starlette with asyncpg, for uvicorn: the ASGI
peer of the database suite."""
import asyncpg
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Route

from db_common import (ALL_FORTUNES, DATABASE_URL, POOL_SIZE, WORLD_BY_ID, LruCache, count, random_id,
                       render_fortunes)

pool = None
cache = LruCache()


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
    async with pool.acquire() as conn:
        row = await conn.fetchrow(WORLD_BY_ID, random_id())
    return JSONResponse({"id": row[0], "randomNumber": row[1]})


async def queries(request):
    n = count(request.query_params.get("queries"))
    async with pool.acquire() as conn:
        statement = await conn.prepare(WORLD_BY_ID)
        worlds = [{"id": r[0], "randomNumber": r[1]} for r in [await statement.fetchrow(random_id()) for _ in range(n)]]
    return JSONResponse(worlds)


async def fortunes(request):
    async with pool.acquire() as conn:
        rows = await conn.fetch(ALL_FORTUNES)
    return HTMLResponse(render_fortunes(rows))


async def updates(request):
    n = count(request.query_params.get("queries"))
    async with pool.acquire() as conn:
        statement = await conn.prepare(WORLD_BY_ID)
        worlds = []
        for _ in range(n):
            row = await statement.fetchrow(random_id())
            worlds.append({"id": row[0], "randomNumber": random_id()})
        changes = sorted({w["id"]: w["randomNumber"] for w in worlds}.items())
        await conn.executemany("UPDATE world SET randomnumber = $2 WHERE id = $1", changes)
    return JSONResponse(worlds)


async def cached_queries(request):
    n = count(request.query_params.get("count"))
    worlds = []
    async with pool.acquire() as conn:
        for _ in range(n):
            id_ = random_id()
            row = cache.get(id_)
            if row is None:
                record = await conn.fetchrow(WORLD_BY_ID, id_)
                row = {"id": record[0], "randomNumber": record[1]}
                cache.put(id_, row)
            worlds.append(row)
    return JSONResponse(worlds)


app = Starlette(routes=[
    Route("/plaintext", plaintext),
    Route("/json", json),
    Route("/db", db),
    Route("/queries", queries),
    Route("/fortunes", fortunes),
    Route("/updates", updates),
    Route("/cached-queries", cached_queries),
], on_startup=[startup], on_shutdown=[shutdown])
