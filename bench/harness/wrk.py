"""Runs wrk on core 1 and reads what it printed."""
import re
import subprocess
from pathlib import Path

PIPELINE_SCRIPT = Path(__file__).resolve().parent.parent / "pipeline.lua"
POST_SCRIPT = Path(__file__).resolve().parent.parent / "post.lua"

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNITS_MS[unit]


def run(url, connections, seconds, pipeline=1, timeout_s=5, core=1, body=""):
    """One wrk run: returns requests, seconds, requests_per_s, p50_ms, p99_ms, non_2xx,
    socket_errors (connect+read+write+timeout), timeouts, and wrk's text."""
    command = ["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", f"{timeout_s}s", "--latency"]
    if pipeline > 1:
        command += ["-s", str(PIPELINE_SCRIPT)]
    elif body:
        command += ["-s", str(POST_SCRIPT)]
    command.append(url)
    if pipeline > 1:
        command += ["--", str(pipeline)]
    elif body:
        command += ["--", body]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout_s + 30)
    return parse(out.stdout + out.stderr)


def parse(text):
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if not done:
        raise RuntimeError("wrk printed no result: " + " ".join(text.split())[:200])
    requests = int(done.group(1))
    seconds = _to_ms(done.group(2) + done.group(3)) / 1000
    result = {
        "requests": requests,
        "seconds": seconds,
        "requests_per_s": requests / seconds if seconds else 0.0,
        "p50_ms": None,
        "p99_ms": None,
        "non_2xx": 0,
        "socket_errors": 0,
        "timeouts": 0,
        "text": text,
    }
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        m = re.search(rf"^\s*{label}\s+([\d.]+(?:us|ms|s|m))\s*$", text, re.M)
        if m and _to_ms(m.group(1)) > 0:  # wrk prints 0.00us when its histogram overflowed
            result[key] = _to_ms(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        result["non_2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        counts = [int(g) for g in m.groups()]
        result["socket_errors"] = sum(counts)
        result["timeouts"] = counts[3]
    return result
