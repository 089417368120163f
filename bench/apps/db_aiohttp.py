"""The TechEmpower database endpoints on aiohttp's own server with asyncpg: the asyncio
peer of the database suite. python3 db_aiohttp.py PORT"""
import sys

import asyncpg
from aiohttp import web

from db_common import (ALL_FORTUNES, DATABASE_URL, POOL_SIZE, WORLD_BY_ID, LruCache, count, random_id,
                       render_fortunes)

cache = LruCache()


async def startup(app):
    app["pool"] = await asyncpg.create_pool(DATABASE_URL, min_size=POOL_SIZE, max_size=POOL_SIZE)


async def shutdown(app):
    await app["pool"].close()


async def plaintext(request):
    return web.Response(text="Hello, World!")


async def json(request):
    return web.json_response({"message": "Hello, World!"})


async def db(request):
    async with request.app["pool"].acquire() as conn:
        row = await conn.fetchrow(WORLD_BY_ID, random_id())
    return web.json_response({"id": row["id"], "randomNumber": row["randomnumber"]})


async def queries(request):
    n = count(request.query.get("queries"))
    async with request.app["pool"].acquire() as conn:
        statement = await conn.prepare(WORLD_BY_ID)
        worlds = [{"id": r[0], "randomNumber": r[1]} for r in [await statement.fetchrow(random_id()) for _ in range(n)]]
    return web.json_response(worlds)


async def fortunes(request):
    async with request.app["pool"].acquire() as conn:
        rows = await conn.fetch(ALL_FORTUNES)
    return web.Response(text=render_fortunes(rows), content_type="text/html", charset="utf-8")


async def updates(request):
    n = count(request.query.get("queries"))
    async with request.app["pool"].acquire() as conn:
        statement = await conn.prepare(WORLD_BY_ID)
        worlds = []
        for _ in range(n):
            row = await statement.fetchrow(random_id())
            worlds.append({"id": row[0], "randomNumber": random_id()})
        changes = sorted({w["id"]: w["randomNumber"] for w in worlds}.items())
        await conn.executemany("UPDATE world SET randomnumber = $2 WHERE id = $1", changes)
    return web.json_response(worlds)


async def cached_queries(request):
    n = count(request.query.get("count"))
    worlds = []
    async with request.app["pool"].acquire() as conn:
        for _ in range(n):
            id_ = random_id()
            row = cache.get(id_)
            if row is None:
                record = await conn.fetchrow(WORLD_BY_ID, id_)
                row = {"id": record[0], "randomNumber": record[1]}
                cache.put(id_, row)
            worlds.append(row)
    return web.json_response(worlds)


app = web.Application()
app.on_startup.append(startup)
app.on_cleanup.append(shutdown)
app.router.add_get("/plaintext", plaintext)
app.router.add_get("/json", json)
app.router.add_get("/db", db)
app.router.add_get("/queries", queries)
app.router.add_get("/fortunes", fortunes)
app.router.add_get("/updates", updates)
app.router.add_get("/cached-queries", cached_queries)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, backlog=2048,
                keepalive_timeout=120, print=None)
