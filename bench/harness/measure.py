"""One measurement of one server in one scenario: a wrk run, with the server's CPU time
and memory read from /proc around it; for C10K, with 10,000 idle connections held."""
import json
import subprocess
import sys
import time
from pathlib import Path

import wrk
from procstat import cpu_seconds, memory_kib

HOLDER = Path(__file__).resolve().parent / "hold_connections.py"
PARK_WAIT_S = 3  # cogi parks (frees the read buffer of) a connection idle for 1 s


def _load(server, scenario, seconds):
    pids = server.tree()
    cpu_before = cpu_seconds(pids)
    result = wrk.run(server.url + scenario.path, scenario.connections, seconds, scenario.pipeline,
                     body=scenario.body)
    pids = server.tree()
    requests = result["requests"]
    survived = server.alive()
    row = {key: result[key] for key in ("requests", "seconds", "requests_per_s", "p50_ms", "p99_ms",
                                        "non_2xx", "socket_errors", "timeouts")}
    row["cpu_us_per_request"] = (cpu_seconds(pids) - cpu_before) * 1e6 / requests if requests and survived else None
    row["peak_rss_kib"] = memory_kib(pids, "VmHWM") if survived else None
    row["status"] = _status(server, result)
    row["wrk_output"] = result["text"]
    return row


def _status(server, result):
    if not server.alive():
        return f"failed: exited during the run: {server.log_tail()}"
    if result["requests"] == 0:
        return "failed: no request answered"
    problems = []
    if result["non_2xx"]:
        problems.append(f"{result['non_2xx']} non-2xx")
    if result["socket_errors"]:
        problems.append(f"{result['socket_errors']} socket errors ({result['timeouts']} timeouts)")
    return "errors: " + ", ".join(problems) if problems else "ok"


def load_run(server, scenario, seconds):
    try:
        return _load(server, scenario, seconds)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        if not server.alive():  # the cause, rather than wrk's "connection refused"
            return {"status": f"failed: exited: {server.log_tail(1)}"}
        return {"status": f"failed: {error}".splitlines()[0]}


def c10k_run(server, scenario, seconds):
    """Holds scenario.hold idle connections, measures the memory they cost, the load
    while they are held, and how many still answer afterwards."""
    rss_before = memory_kib(server.tree(), "VmRSS")
    holder = subprocess.Popen(["taskset", "-c", "1", sys.executable, str(HOLDER), "--port", str(server.port),
                               "--count", str(scenario.hold)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        opened = json.loads(holder.stdout.readline() or "{}")
        held = opened.get("held", 0)
        time.sleep(PARK_WAIT_S)
        rss_held = memory_kib(server.tree(), "VmRSS")
        row = load_run(server, scenario, seconds)
        holder.stdin.write("check\n")
        holder.stdin.flush()
        alive = json.loads(holder.stdout.readline() or "{}").get("alive", 0)
    finally:
        try:
            holder.stdin.write("close\n")
            holder.stdin.flush()
        except OSError:
            pass
        holder.wait(timeout=60)
    row["held"] = held
    row["alive"] = alive
    row["bytes_per_held_connection"] = round((rss_held - rss_before) * 1024 / held) if held else None
    if row["status"] == "ok" and alive < scenario.hold:
        row["status"] = f"lost connections: {held:,} of {scenario.hold:,} held, {alive:,} still answered"
    return row


def measure(server, scenario, seconds):
    if server.failure:
        return {"status": f"failed: {server.failure}"}
    if not server.alive():
        return {"status": f"failed: exited earlier: {server.log_tail()}"}
    return c10k_run(server, scenario, seconds) if scenario.hold else load_run(server, scenario, seconds)


def settle(server, quiet_share=0.05, limit_s=30):
    """Waits until the server has stopped working off the last run (a thread-per-
    connection server still serves the backlog wrk left): under quiet_share of a core."""
    deadline = time.monotonic() + limit_s
    while server.alive() and time.monotonic() < deadline:
        pids = server.tree()
        before = cpu_seconds(pids)
        time.sleep(0.5)
        if cpu_seconds(pids) - before <= 0.5 * quiet_share:
            return
