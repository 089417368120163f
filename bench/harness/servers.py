"""The servers the load benchmark measures: how each starts, what it serves, and
starting and stopping them by PID.

Every server runs pinned to core 0 with one worker (process, loop or thread pool), on
its own loopback port, with the same three endpoints (bench/apps/). Each is configured
as someone deploying it would for this load: keep-alive kept for 120 s, and the
connection limits raised so that the C10K scenario asks the server, not its defaults.
"""
import itertools
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from procstat import process_tree

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "bench" / "apps"
PYTHON = "/usr/bin/python3"  # Debian's, which has the packages bench/run.sh installed
KEEP_ALIVE_S = 120
THREADS = 32


@dataclass
class ServerSpec:
    name: str
    model: str  # what kind of server, for the report
    command: callable  # (port, run_dir) -> argv
    routes: tuple = ("/plaintext", "/json", "/sleep")
    cwd: Path = ROOT
    prepare: callable = None  # (port, run_dir) -> None, before starting

    def serves(self, path):
        return any(path.startswith(route) for route in self.routes)


def _nginx_config(port, run_dir):
    template = (ROOT / "bench" / "nginx.conf").read_text()
    text = template.replace("@RUN@", str(run_dir)).replace("@PORT@", str(port))
    (run_dir / f"nginx-{port}.conf").write_text(text)


def _gunicorn(worker_class):
    def command(port, run_dir):
        argv = [PYTHON, "-m", "gunicorn", "--workers", "1", "--worker-class", worker_class,
                "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning",
                "--keep-alive", str(KEEP_ALIVE_S)]
        if worker_class == "gthread":
            argv += ["--threads", str(THREADS), "--worker-connections", "10000"]
        return argv + ["wsgi_app:app"]
    return command


def _cogi(binary):
    return lambda port, run_dir: [str(binary), "--port", str(port), "--loops", "1",
                                  "--log-level", "warning", "--timeout-keep-alive", str(KEEP_ALIVE_S)]


SERVERS = {
    "cogi": ServerSpec("cogi", "C++ coroutines, 1 loop", _cogi(ROOT / "build/examples/demo")),
    "nginx": ServerSpec(
        "nginx", "C event loop, 1 worker (return 200)",
        lambda port, run_dir: ["nginx", "-c", str(run_dir / f"nginx-{port}.conf"), "-e", str(run_dir / "nginx-error.log")],
        routes=("/plaintext", "/json"), prepare=_nginx_config),
    "uvicorn": ServerSpec(
        "uvicorn", "ASGI: uvicorn + uvloop + httptools, Starlette",
        lambda port, run_dir: [PYTHON, "-m", "uvicorn", "asgi_app:app", "--host", "127.0.0.1", "--port", str(port),
                               "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
                               "--timeout-keep-alive", str(KEEP_ALIVE_S), "--backlog", "2048"],
        cwd=APPS),
    "gunicorn-gthread": ServerSpec(
        "gunicorn-gthread", f"WSGI: gunicorn gthread, {THREADS} threads, Flask", _gunicorn("gthread"), cwd=APPS),
    "gunicorn-sync": ServerSpec(
        "gunicorn-sync", "WSGI: gunicorn sync, 1 process, Flask", _gunicorn("sync"), cwd=APPS),
    "waitress": ServerSpec(
        "waitress", f"WSGI: waitress, {THREADS} threads, Flask",
        lambda port, run_dir: [PYTHON, "-m", "waitress", "--host", "127.0.0.1", "--port", str(port),
                               "--threads", str(THREADS), "--connection-limit", "10000",
                               "--channel-timeout", str(KEEP_ALIVE_S), "--backlog", "2048", "wsgi_app:app"],
        cwd=APPS),
    "httplib": ServerSpec(
        "httplib", f"C++ thread pool: cpp-httplib, {THREADS} threads",
        lambda port, run_dir: [str(ROOT / "build/bench/httplib_server"), "--port", str(port),
                               "--threads", str(THREADS), "--keep-alive", str(KEEP_ALIVE_S)]),
    # Not in the default set: the demo's routes straight on the contract, which prices
    # the framework (bench/run.sh --servers cogi,cogi-raw).
    "cogi-raw": ServerSpec(
        "cogi-raw", "cogi contract app, no framework",
        _cogi(ROOT / "build/bench/raw_contract_app"), routes=("/plaintext", "/json")),
}


# The database suite (bench/run.sh --suite db): the TechEmpower database endpoints
# (examples/techempower/, bench/apps/db_*.py) against the PostgreSQL that main.py starts;
# each server reads DATABASE_URL (cogi: COGI_DATABASE_URL) from the environment.
DB_ROUTES = ("/plaintext", "/json", "/db", "/queries", "/fortunes", "/updates", "/cached-queries")
COGI_DB_POOL = 4     # connections per loop (queries pipelined on them)
PYTHON_DB_POOL = 8   # asyncpg pool per process, as the asyncio entries size it


def _cogi_db(port, run_dir):
    return [str(ROOT / "build/examples/techempower"), "--port", str(port), "--loops", "1", "--log-level", "warning",
            "--timeout-keep-alive", str(KEEP_ALIVE_S), "--db-pool-size", str(COGI_DB_POOL)]


DB_SERVERS = {
    "cogi": ServerSpec("cogi", f"C++ coroutines, 1 loop, {COGI_DB_POOL} pipelined connections", _cogi_db,
                       routes=DB_ROUTES),
    "aiohttp-asyncpg": ServerSpec(
        "aiohttp-asyncpg", f"asyncio: aiohttp's server, asyncpg pool of {PYTHON_DB_POOL}",
        lambda port, run_dir: [PYTHON, "db_aiohttp.py", str(port)], routes=DB_ROUTES, cwd=APPS),
    "uvicorn-asyncpg": ServerSpec(
        "uvicorn-asyncpg", f"ASGI: uvicorn + uvloop + httptools, Starlette, asyncpg pool of {PYTHON_DB_POOL}",
        lambda port, run_dir: [PYTHON, "-m", "uvicorn", "db_starlette:app", "--host", "127.0.0.1", "--port", str(port),
                               "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
                               "--timeout-keep-alive", str(KEEP_ALIVE_S), "--backlog", "2048"],
        routes=DB_ROUTES, cwd=APPS),
    "gunicorn-gthread-psycopg": ServerSpec(
        "gunicorn-gthread-psycopg", f"WSGI: gunicorn gthread, {THREADS} threads, Flask, psycopg pool of {THREADS}",
        # One connection per thread, as a threaded app sizes its pool.
        lambda port, run_dir: ["env", f"POOL_SIZE={THREADS}", PYTHON, "-m", "gunicorn", "--workers", "1",
                               "--worker-class", "gthread",
                               "--threads", str(THREADS), "--worker-connections", "10000", "--bind",
                               f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning", "--keep-alive",
                               str(KEEP_ALIVE_S), "db_flask:app"],
        routes=DB_ROUTES, cwd=APPS),
}
DEFAULT_DB_SERVERS = list(DB_SERVERS)


def database_environment(urls):
    """What the database servers read: the hello_world URL under each name they use, and
    the asyncio peers' pool size."""
    os.environ["COGI_DATABASE_URL"] = urls["COGI_TEST_HELLO_WORLD_URL"]
    os.environ["DATABASE_URL"] = urls["COGI_TEST_HELLO_WORLD_URL"]
    os.environ["POOL_SIZE"] = str(PYTHON_DB_POOL)



def add_baseline(binary):
    """Registers "cogi-baseline": an earlier build of the demo, measured in the same run as
    the current one, so that a change on the request path is judged against a peer that
    saw the same machine at the same time. Returns its name."""
    SERVERS["cogi-baseline"] = ServerSpec("cogi-baseline", f"cogi, baseline build {binary}", _cogi(binary),
                                          routes=SERVERS["cogi"].routes)
    return "cogi-baseline"

DEFAULT_SERVERS = ["cogi", "nginx", "uvicorn", "gunicorn-gthread", "gunicorn-sync", "waitress", "httplib"]


@dataclass
class RunningServer:
    spec: ServerSpec
    port: int
    process: subprocess.Popen  # None when it could not even be started
    log_path: Path
    failure: str = None  # why it could not serve, when it could not

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def tree(self):
        return process_tree(self.process.pid) if self.alive() else []

    def log_tail(self, lines=5):
        try:
            return " | ".join(self.log_path.read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return ""


_next_ports = itertools.cycle(range(18080, 18980))


def free_port():
    """A loopback port nothing is bound to and no TIME_WAIT socket holds: bound without
    SO_REUSEADDR, as some servers (cpp-httplib) bind. Each start takes a new one."""
    for port in _next_ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue


def start(spec, run_dir, core=0, ready_timeout_s=20):
    """Starts spec on port, pinned to core, in its own process group, and waits until it
    answers GET /plaintext. A server that does not come up is returned with .failure set."""
    port = free_port()
    if spec.prepare:
        spec.prepare(port, run_dir)
    log_path = run_dir / f"{spec.name}.log"
    log = open(log_path, "w")
    try:
        process = subprocess.Popen(["taskset", "-c", str(core)] + spec.command(port, run_dir), cwd=spec.cwd,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    except OSError as error:
        return RunningServer(spec, port, None, log_path, failure=f"could not start: {error}")
    server = RunningServer(spec, port, process, log_path)
    deadline = time.monotonic() + ready_timeout_s
    while time.monotonic() < deadline:
        if not server.alive():
            server.failure = f"exited with {process.returncode} at start: {server.log_tail()}"
            return server
        try:
            with urllib.request.urlopen(server.url + "/plaintext", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.failure = f"not answering after {ready_timeout_s} s: {server.log_tail()}"
    return server


def stop(server, grace_s=10):
    """SIGTERM to the server's process group, SIGKILL if it has not gone after grace_s."""
    if not server.alive():
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
    except ProcessLookupError:
        pass


# The typed-handler suite (bench/run.sh --suite model): POST /model, a 5-field model read,
# validated and answered back, typed and by hand in cogi, and in FastAPI.
MODEL_ROUTES = ("/plaintext", "/model")
MODEL_SERVERS = {
    "cogi": ServerSpec("cogi", "cogi typed handler (body<order_in> -> task<order_out>), 1 loop",
                       _cogi(ROOT / "build/bench/model_app"), routes=MODEL_ROUTES),
    "cogi-handwritten": ServerSpec("cogi-handwritten", "cogi, the same route with picojson by hand, 1 loop",
                                   _cogi(ROOT / "build/bench/model_app_handwritten"), routes=MODEL_ROUTES),
    "fastapi": ServerSpec(
        "fastapi", "FastAPI 0.92 + pydantic 1.10 on uvicorn + uvloop + httptools",
        lambda port, run_dir: [PYTHON, "-m", "uvicorn", "fastapi_model:app", "--host", "127.0.0.1", "--port", str(port),
                               "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
                               "--timeout-keep-alive", str(KEEP_ALIVE_S), "--backlog", "2048"],
        routes=MODEL_ROUTES, cwd=APPS),
}
DEFAULT_MODEL_SERVERS = ["cogi", "cogi-handwritten", "fastapi"]
