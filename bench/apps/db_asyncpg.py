"""The database work of the two asyncio peers (aiohttp, Starlette), both on asyncpg as
their TechEmpower entries are: each request takes a connection from the pool, the
World statement is prepared, one query per row."""
from db_common import ALL_FORTUNES, WORLD_BY_ID, LruCache, random_id, render_fortunes

cache = LruCache()


async def one_world(pool):
    async with pool.acquire() as conn:
        row = await conn.fetchrow(WORLD_BY_ID, random_id())
    return {"id": row[0], "randomNumber": row[1]}


async def _read(conn, n):
    statement = await conn.prepare(WORLD_BY_ID)
    return [{"id": r[0], "randomNumber": r[1]} for r in [await statement.fetchrow(random_id()) for _ in range(n)]]


async def worlds(pool, n):
    async with pool.acquire() as conn:
        return await _read(conn, n)


async def fortunes_page(pool):
    async with pool.acquire() as conn:
        rows = await conn.fetch(ALL_FORTUNES)
    return render_fortunes(rows)


async def updated_worlds(pool, n):
    async with pool.acquire() as conn:
        read = await _read(conn, n)
        for w in read:
            w["randomNumber"] = random_id()
        changes = sorted({w["id"]: w["randomNumber"] for w in read}.items())
        await conn.executemany("UPDATE world SET randomnumber = $2 WHERE id = $1", changes)
    return read


async def cached_worlds(pool, n):
    out = []
    async with pool.acquire() as conn:
        for _ in range(n):
            id_ = random_id()
            row = cache.get(id_)
            if row is None:
                record = await conn.fetchrow(WORLD_BY_ID, id_)
                row = {"id": record[0], "randomNumber": record[1]}
                cache.put(id_, row)
            out.append(row)
    return out
