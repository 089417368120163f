"""The WebSocket benchmark (bench/websocket.sh): cogi against uvicorn with the websockets
library (an ASGI peer) and Node's ws, each on one core (core 0), the load generator
(ws_load, C++) on the other (core 1), the servers alternating within each repeat.

Scenarios: echo round trips (64 connections, 64-byte text messages), broadcast fan-out
(one sender, 1,000 listeners, the next message once all have the last), and memory per
idle WebSocket (10,000 held open, the server's resident memory before and after): just
opened (idle), and after echoing three messages each (idle_used).
Every figure is the median of the repeats; CPU per round trip is the server's CPU time
over the round trips it served. Only loopback is targeted.

Usage: run.py BUILD_DIR OUT_DIR [--repeats N] [--duration S] [--idle N] [--servers a,b]"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "harness"))
from servers import free_port  # noqa: E402
from procstat import cpu_seconds, memory_kib, process_tree  # noqa: E402

PYTHON = "/usr/bin/python3"


def servers(build):
    return {
        "cogi": lambda port: [str(build / "bench" / "ws_app"), "--port", str(port), "--loops", "1",
                              "--log-level", "warning", "--ws-ping-interval", "0", "--ws-max-queue", "32"],
        "uvicorn+websockets": lambda port: [PYTHON, "-m", "uvicorn", "ws_asgi:app", "--port", str(port),
                                            "--loop", "uvloop", "--http", "httptools", "--ws", "websockets",
                                            "--ws-ping-interval", "0", "--log-level", "warning"],
        "node ws": lambda port: ["node", "ws_node.mjs", str(port)],
    }


def start(name, command, port):
    env = dict(os.environ, NODE_PATH="/usr/share/nodejs")
    process = subprocess.Popen(["taskset", "-c", "0"] + command(port), cwd=HERE, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{name} did not start")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def load(build, *args, timeout=120):
    out = subprocess.run(["taskset", "-c", "1", str(build / "bench" / "ws_load"), *map(str, args)],
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip() or out.stdout.strip())
    return json.loads(out.stdout)


def is_idle(scenario):
    return scenario in ("idle", "idle_used")


def measure(build, name, command, scenario, args):
    port = free_port()
    process = start(name, command, port)
    try:
        tree = process_tree(process.pid)
        load(build, "echo", port, 8, 1, 64)  # warm-up
        if is_idle(scenario):
            before = memory_kib(process_tree(process.pid), "VmRSS")
            messages = "3" if scenario == "idle_used" else "0"
            holder = subprocess.Popen(["taskset", "-c", "1", str(build / "bench" / "ws_load"), "idle", str(port),
                                       str(args.idle), messages],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            held = json.loads(holder.stdout.readline())
            time.sleep(1)  # let the server settle (no timing is measured here)
            after = memory_kib(process_tree(process.pid), "VmRSS")
            holder.stdin.close()
            holder.wait(timeout=60)
            return {"held": held["open"], "kib_per_connection": (after - before) / max(1, held["open"])}
        cpu_before = cpu_seconds(process_tree(process.pid))
        if scenario == "echo":
            result = load(build, "echo", port, 64, args.duration, 64)
            count = result["round_trips"]
            result["per_second"] = count / result["seconds"]
        else:
            result = load(build, "fanout", port, 1000, args.duration)
            count = result["deliveries"]
            result["per_second"] = count / result["seconds"]
        result["cpu_us_per_item"] = (cpu_seconds(process_tree(process.pid)) - cpu_before) * 1e6 / max(1, count)
        return result
    finally:
        stop(process)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--servers")
    parser.add_argument("--scenarios", default="echo,fanout,idle,idle_used")
    args = parser.parse_args()
    build = args.build.resolve()
    all_servers = servers(build)
    names = args.servers.split(",") if args.servers else list(all_servers)
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for scenario in args.scenarios.split(","):
        for repeat in range(1, args.repeats + 1):
            for name in names:
                row = measure(build, name, all_servers[name], scenario, args)
                results.setdefault(scenario, {}).setdefault(name, []).append(row)
                print(f"{scenario:9} {name:20} #{repeat}: {json.dumps(row)}", flush=True)
    (args.out / "runs.json").write_text(json.dumps(results, indent=1))
    report = ["| scenario | server | median | cpu µs per item | cogi's advantage |", "|---|---|---:|---:|---:|"]
    for scenario, by_server in results.items():
        key = "kib_per_connection" if is_idle(scenario) else "per_second"
        medians = {name: statistics.median(r[key] for r in rows) for name, rows in by_server.items()}
        for name, rows in by_server.items():
            cpu = "" if is_idle(scenario) else f"{statistics.median(r['cpu_us_per_item'] for r in rows):.2f}"
            unit = " KiB per idle connection" if is_idle(scenario) else (
                " round trips/s" if scenario == "echo" else " deliveries/s")
            # cogi's advantage, > 1 when cogi does better: more per second, less memory.
            better, worse = (medians[name], medians.get("cogi")) if is_idle(scenario) else (medians.get("cogi"), medians[name])
            ratio = better / worse if better and worse else 0
            report.append(f"| {scenario} | {name} | {medians[name]:,.1f}{unit} | {cpu} | {ratio:.2f}× |")
    text = "\n".join(report) + "\n"
    (args.out / "report.md").write_text(text)
    print("\n" + text)


if __name__ == "__main__":
    main()
