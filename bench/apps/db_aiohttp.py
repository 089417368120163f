"""The TechEmpower database endpoints on aiohttp's own server with asyncpg: the asyncio
peer of the database suite. python3 db_aiohttp.py PORT"""
import sys

import asyncpg
from aiohttp import web

import db_asyncpg
from db_common import DATABASE_URL, POOL_SIZE, count


async def startup(app):
    app["pool"] = await asyncpg.create_pool(DATABASE_URL, min_size=POOL_SIZE, max_size=POOL_SIZE)


async def shutdown(app):
    await app["pool"].close()


async def plaintext(request):
    return web.Response(text="Hello, World!")


async def json(request):
    return web.json_response({"message": "Hello, World!"})


async def db(request):
    return web.json_response(await db_asyncpg.one_world(request.app["pool"]))


async def queries(request):
    return web.json_response(await db_asyncpg.worlds(request.app["pool"], count(request.query.get("queries"))))


async def fortunes(request):
    page = await db_asyncpg.fortunes_page(request.app["pool"])
    return web.Response(text=page, content_type="text/html", charset="utf-8")


async def updates(request):
    return web.json_response(await db_asyncpg.updated_worlds(request.app["pool"], count(request.query.get("queries"))))


async def cached_queries(request):
    return web.json_response(await db_asyncpg.cached_worlds(request.app["pool"], count(request.query.get("count"))))


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
