"""The TechEmpower database endpoints on Flask with psycopg 3 and its connection pool,
for gunicorn's gthread workers: the threaded WSGI peer of the database suite. Each of
the worker's threads takes a connection from the pool for its request."""
import json as jsonlib
import threading

from flask import Flask, Response, request
from psycopg_pool import ConnectionPool

from db_common import ALL_FORTUNES, DATABASE_URL, POOL_SIZE, LruCache, count, random_id, render_fortunes

WORLD_BY_ID = "SELECT id, randomnumber FROM world WHERE id = %s"
pool = ConnectionPool(DATABASE_URL, min_size=POOL_SIZE, max_size=POOL_SIZE, open=True)
cache = LruCache()
cache_lock = threading.Lock()
app = Flask(__name__)


def json_response(value):
    return Response(jsonlib.dumps(value, separators=(",", ":")), mimetype="application/json")


@app.route("/plaintext")
def plaintext():
    return Response("Hello, World!", mimetype="text/plain")


@app.route("/json")
def json():
    return json_response({"message": "Hello, World!"})


@app.route("/db")
def db():
    with pool.connection() as conn:
        row = conn.execute(WORLD_BY_ID, (random_id(),), prepare=True).fetchone()
    return json_response({"id": row[0], "randomNumber": row[1]})


def read_worlds(conn, n):
    rows = [conn.execute(WORLD_BY_ID, (random_id(),), prepare=True).fetchone() for _ in range(n)]
    return [{"id": row[0], "randomNumber": row[1]} for row in rows]


@app.route("/queries")
def queries():
    with pool.connection() as conn:
        worlds = read_worlds(conn, count(request.args.get("queries")))
    return json_response(worlds)


@app.route("/fortunes")
def fortunes():
    with pool.connection() as conn:
        rows = conn.execute(ALL_FORTUNES, prepare=True).fetchall()
    return Response(render_fortunes(rows), mimetype="text/html")


@app.route("/updates")
def updates():
    with pool.connection() as conn:
        worlds = read_worlds(conn, count(request.args.get("queries")))
        for w in worlds:
            w["randomNumber"] = random_id()
        changes = sorted({w["id"]: w["randomNumber"] for w in worlds}.items())
        with conn.cursor() as cur:
            cur.executemany("UPDATE world SET randomnumber = %s WHERE id = %s", [(r, i) for i, r in changes])
    return json_response(worlds)


@app.route("/cached-queries")
def cached_queries():
    n = count(request.args.get("count"))
    worlds = []
    with pool.connection() as conn:
        for _ in range(n):
            id_ = random_id()
            with cache_lock:
                row = cache.get(id_)
            if row is None:
                record = conn.execute(WORLD_BY_ID, (id_,), prepare=True).fetchone()
                row = {"id": record[0], "randomNumber": record[1]}
                with cache_lock:
                    cache.put(id_, row)
            worlds.append(row)
    return json_response(worlds)
