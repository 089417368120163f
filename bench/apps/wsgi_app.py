"""The three bench endpoints as a Flask (WSGI) app, for gunicorn and waitress.

/sleep waits the way a WSGI worker thread waits: time.sleep() holds the thread, so
concurrency is bounded by the number of threads (bench/README.md).
"""
import time

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/plaintext")
def plaintext():
    return Response("Hello, World!", content_type="text/plain; charset=utf-8")


@app.get("/json")
def json():
    return jsonify(message="Hello, World!")  # serialised per request, like cogi's demo


@app.get("/sleep")
def sleep():
    time.sleep(int(request.args.get("ms", "0")) / 1000)
    return Response("ok", content_type="text/plain; charset=utf-8")
