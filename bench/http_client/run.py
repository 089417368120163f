"""The HTTP client benchmark (bench/http_client.sh): cogi's client against aiohttp's,
each fetching from nginx at 64 concurrent requests. The client under test runs on core
0, nginx (one worker) on core 1; the clients alternate within each repeat. Figures:
requests per second and the client's CPU time per request (its process's user+system
time over the requests it completed), medians of the repeats. Only loopback is used.

Usage: run.py BUILD_DIR OUT_DIR [--repeats N] [--duration S] [--connections N] [--path P]"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "harness"))
from servers import free_port  # noqa: E402
from procstat import cpu_seconds  # noqa: E402

PYTHON = "/usr/bin/python3"


def start_nginx(directory):
    port = free_port()
    (directory / "www").mkdir(exist_ok=True)
    (directory / "www" / "hello.txt").write_text("Hello, World!")
    (directory / "www" / "page.html").write_text("<html>" + "<p>cogi</p>" * 400 + "</html>")
    conf = directory / "nginx.conf"
    conf.write_text(f"""daemon off; master_process off; worker_processes 1; pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;
  fastcgi_temp_path {directory}/fastcgi; uwsgi_temp_path {directory}/uwsgi; scgi_temp_path {directory}/scgi;
  server {{ listen 127.0.0.1:{port}; root {directory}/www; }}
}}
""")
    process = subprocess.Popen(["taskset", "-c", "1", "/usr/sbin/nginx", "-p", str(directory), "-c", str(conf),
                                "-e", f"{directory}/error.log"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("nginx did not start")


def measure(command):
    """Runs a client to completion; its result line plus its CPU seconds."""
    process = subprocess.Popen(["taskset", "-c", "0", *command], stdout=subprocess.PIPE, text=True)
    cpu = 0.0
    # The process's own CPU time, read just before it exits: poll /proc until it is gone.
    while process.poll() is None:
        sample = cpu_seconds([process.pid])
        if sample:
            cpu = sample
        time.sleep(0.05)
    out = process.stdout.read().strip().splitlines()
    if process.returncode != 0 or not out:
        raise RuntimeError(f"{command[0]} failed")
    result = json.loads(out[-1])
    result["cpu_seconds"] = cpu
    result["per_second"] = result["requests"] / result["seconds"]
    result["cpu_us_per_request"] = cpu * 1e6 / max(1, result["requests"])
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--path", default="/hello.txt")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    clients = {
        "cogi": lambda url: [str(args.build.resolve() / "bench" / "client_load"), url, str(args.connections),
                             str(args.duration)],
        "aiohttp": lambda url: [PYTHON, str(HERE / "aiohttp_load.py"), url, str(args.connections), str(args.duration)],
    }
    results = {name: [] for name in clients}
    with tempfile.TemporaryDirectory(prefix="cogi-client-bench-") as directory:
        nginx, port = start_nginx(Path(directory))
        try:
            url = f"http://127.0.0.1:{port}{args.path}"
            for repeat in range(1, args.repeats + 1):
                for name, command in clients.items():
                    row = measure(command(url))
                    results[name].append(row)
                    print(f"{name:8} #{repeat}: {json.dumps(row)}", flush=True)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    (args.out / "runs.json").write_text(json.dumps(results, indent=1))
    rate = {n: statistics.median(r["per_second"] for r in rows) for n, rows in results.items()}
    cpu = {n: statistics.median(r["cpu_us_per_request"] for r in rows) for n, rows in results.items()}
    report = [f"{args.connections} concurrent requests for {args.path} from nginx, {args.repeats} x {args.duration} s",
              "", "| client | requests/s | client CPU µs per request |", "|---|---:|---:|"]
    for name in results:
        report.append(f"| {name} | {rate[name]:,.0f} | {cpu[name]:.2f} |")
    report += ["", f"cogi ÷ aiohttp: {rate['cogi'] / rate['aiohttp']:.2f}× the requests/s, "
                   f"{cpu['aiohttp'] / cpu['cogi']:.2f}× less CPU per request"]
    text = "\n".join(report) + "\n"
    (args.out / "report.md").write_text(text)
    print("\n" + text)


if __name__ == "__main__":
    main()
