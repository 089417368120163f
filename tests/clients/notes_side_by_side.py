#!/usr/bin/env python3
"""examples/rest_api.cpp and docs/typed_handlers/notes_fastapi.py are the same API:
the same requests, sent to both over loopback, get the same statuses, headers that
matter and bodies (created timestamps aside); a 422 lists the same problems at the same
places (FastAPI 0.92's pydantic 1 words its messages and types differently from the
pydantic 2 ones cogi follows, so those are not compared; nor are the inputs pydantic 1
coerces and pydantic 2 refuses, as cogi does: 5 for a string). Both documents, too,
describe the same operations.

Usage: notes_side_by_side.py PATH_TO_REST_API
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PYTHON = "/usr/bin/python3"  # Debian's, with python3-fastapi and python3-uvicorn
HERE = Path(__file__).resolve().parent
DOCS = HERE.parent.parent / "docs" / "typed_handlers"


def wait_for_port(process, log_path, pattern):
    for _ in range(400):
        text = Path(log_path).read_text(errors="replace")
        found = re.search(pattern, text)
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"server did not start: {Path(log_path).read_text(errors='replace')}")


def start_cogi(binary, work):
    log = os.path.join(work, "cogi.log")
    process = subprocess.Popen([binary, "--port", "0", "--loops", "1", "--log-level", "info"],
                               stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    return process, wait_for_port(process, log, r"running on http://[^ ]*:(\d+) ")


def start_fastapi(work):
    log = os.path.join(work, "fastapi.log")
    process = subprocess.Popen([PYTHON, "-m", "uvicorn", "notes_fastapi:app", "--host", "127.0.0.1", "--port", "0",
                                "--log-level", "info"], cwd=DOCS, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    return process, wait_for_port(process, log, r"Uvicorn running on http://[^ ]*:(\d+) ")


def call(port, method, path, body=None, user="ada"):
    headers = {"content-type": "application/json"}
    if user:
        headers["x-user"] = user
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def comparable(status, headers, raw):
    """What must match: the status, Location, and the body with timestamps set aside."""
    body = json.loads(raw) if raw else None
    if status == 422:
        body = sorted(json.dumps(problem["loc"]) for problem in body["detail"])
    else:
        for note in body if isinstance(body, list) else [body] if isinstance(body, dict) else []:
            note.pop("created", None)
            if note.get("due"):
                note["due"] = note["due"].replace("+00:00", "Z")
    location = {k.lower(): v for k, v in headers.items()}.get("location")
    return status, location, body


REQUESTS = [
    ("POST", "/notes", {"title": "Dune", "tags": ["books"], "due": "2026-12-01T10:00:00Z"}, "ada"),
    ("POST", "/notes", {"title": "Milk", "level": "high"}, "ada"),
    ("POST", "/notes", {"title": "Bob's", "body": "private"}, "bob"),
    ("GET", "/notes", None, "ada"),
    ("GET", "/notes?tag=books", None, "ada"),
    ("GET", "/notes?limit=1&offset=1", None, "ada"),
    ("GET", "/notes/1", None, "ada"),
    ("GET", "/notes/3", None, "ada"),  # bob's: 404
    ("PUT", "/notes/2", {"title": "Oat milk", "tags": ["shop"]}, "ada"),
    ("GET", "/notes/2", None, "ada"),
    ("DELETE", "/notes/1", None, "ada"),
    ("GET", "/notes/1", None, "ada"),
    # what the validation reports, and where
    ("POST", "/notes", {"title": "", "tags": ["a"] * 11, "level": "urgent", "due": "soon"}, "ada"),
    ("POST", "/notes", {"title": None, "tags": "one"}, "ada"),
    ("POST", "/notes", [1, 2], "ada"),
    ("GET", "/notes?limit=0&offset=-1", None, "ada"),
    ("GET", "/notes", None, None),
    ("GET", "/notes/x", None, "ada"),
    ("PUT", "/notes/2", {"title": "x", "tags": [None, [2], "ok"]}, "ada"),
]


def operations(document):
    return sorted(f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path)}"
                  for path, item in document["paths"].items() for method in item)


def main(binary):
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        cogi, cogi_port = start_cogi(binary, work)
        fastapi, fastapi_port = start_fastapi(work)
        try:
            for method, path, body, user in REQUESTS:
                ours = comparable(*call(cogi_port, method, path, body, user))
                theirs = comparable(*call(fastapi_port, method, path, body, user))
                same = ours == theirs
                failures += not same
                print(f"{'ok  ' if same else 'FAIL'}  {method} {path} -> {ours[0]}")
                if not same:
                    print(f"      cogi:    {ours}\n      FastAPI: {theirs}")
            ours = operations(json.loads(call(cogi_port, "GET", "/openapi.json")[2]))
            theirs = operations(json.loads(call(fastapi_port, "GET", "/openapi.json")[2]))
            same = ours == theirs
            failures += not same
            print(f"{'ok  ' if same else 'FAIL'}  /openapi.json: the same {len(ours)} operations")
            if not same:
                print(f"      cogi:    {ours}\n      FastAPI: {theirs}")
        finally:
            for process in (cogi, fastapi):
                process.terminate()
                process.wait(timeout=10)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
