#!/usr/bin/python3
"""The demo's /metrics as Prometheus users meet it (docs/operations.md).

1. The exposition parses with the official Python client's parser
   (python3-prometheus-client) and holds the families, types and labels promised:
   requests by route template (never a raw path), a histogram whose buckets add up,
   rejections by status, connections, bytes, process figures.
2. A real Prometheus server (Debian's prometheus) scrapes it: the target is up, and a
   PromQL query over the scraped series finds the requests we made.
Usage: prometheus_scrape.py PATH_TO_DEMO
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

BOUND = float(os.environ.get("COGI_TEST_TIME_SCALE", "1")) * 60  # seconds for each wait


def wait_until(what, condition):
    """Polls `condition` (a signal the program under test gives) for at most BOUND seconds."""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, data=None, method=None):
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def start_demo(demo, work):
    log = open(os.path.join(work, "demo.log"), "w+")
    process = subprocess.Popen([demo, "--port", "0", "--loops", "2"], stderr=log)

    def port():
        log.seek(0)
        found = re.search(r"running on http://127\.0\.0\.1:(\d+)", log.read())
        return found and int(found.group(1))

    return process, wait_until("the demo to listen", port)


def check_exposition(base):
    for path in ["/plaintext", "/plaintext", "/plaintext", "/json", "/items/424242", "/no/such/path/17"]:
        http(base + path)
    http(base + "/items", data=b'{"name":"metrics"}', method="POST")
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as raw:  # no Host: 400
        raw.sendall(b"GET /plaintext HTTP/1.1\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400"), "expected a 400"

    status, headers, text = http(base + "/metrics")
    assert status == 200, status
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8", headers["content-type"]
    families = {family.name: family for family in text_string_to_metric_families(text)}
    expected_types = {
        "http_requests": "counter", "http_request_duration_seconds": "histogram",
        "http_requests_in_flight": "gauge", "cogi_requests_rejected": "counter",
        "cogi_connections_open": "gauge", "cogi_connections_parked": "gauge",
        "cogi_received_bytes": "counter", "cogi_sent_bytes": "counter", "cogi_loop_stalls": "counter",
        "cogi_blocking_pool_queued": "gauge", "process_cpu_seconds": "counter",
        "process_resident_memory_bytes": "gauge",
    }
    for name, kind in expected_types.items():
        assert name in families, f"no {name} in {sorted(families)}"
        assert families[name].type == kind, f"{name} is a {families[name].type}, not a {kind}"

    requests = {(s.labels["method"], s.labels["route"], s.labels["status"]): s.value
                for s in families["http_requests"].samples if s.name == "http_requests_total"}
    assert requests[("GET", "/plaintext", "200")] == 3, requests
    assert requests[("GET", "/items/{id:int}", "404")] == 1, requests
    assert requests[("POST", "/items", "201")] == 1, requests
    assert requests[("GET", "unmatched", "404")] == 1, requests
    assert not [key for key in requests if "424242" in key[1] or "/no/such" in key[1]], requests

    histogram = [s for s in families["http_request_duration_seconds"].samples
                 if s.labels.get("route") == "/plaintext"]
    buckets = [s for s in histogram if s.name.endswith("_bucket")]
    counts = [s.value for s in buckets]
    assert counts == sorted(counts), f"buckets not cumulative: {counts}"
    assert buckets[-1].labels["le"] == "+Inf" and counts[-1] == 3, buckets
    count = [s.value for s in histogram if s.name.endswith("_count")]
    assert count == [3], count

    rejected = {s.labels["status"]: s.value for s in families["cogi_requests_rejected"].samples
                if s.name == "cogi_requests_rejected_total"}
    assert rejected["400"] == 1, rejected
    assert families["process_resident_memory_bytes"].samples[0].value > 0
    print(f"ok    the exposition parses: {len(families)} families, {len(requests)} request series")


def check_prometheus_scrape(port, work):
    prometheus = shutil.which("prometheus")
    assert prometheus, "prometheus is not installed (scripts/setup.sh installs it)"
    web = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as out:
        out.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: cogi
    static_configs:
      - targets: ["127.0.0.1:{port}"]
""")
    log = open(os.path.join(work, "prometheus.log"), "w")
    server = subprocess.Popen(
        [prometheus, f"--config.file={config}", f"--storage.tsdb.path={work}/tsdb",
         f"--web.listen-address=127.0.0.1:{web}"], stdout=log, stderr=log)
    try:
        api = f"http://127.0.0.1:{web}/api/v1"

        def query(promql):
            try:
                status, _, body = http(api + "/query?" + urllib.parse.urlencode({"query": promql}))
            except OSError:
                return None  # not listening yet
            return json.loads(body)["data"]["result"] if status == 200 else None

        def target_up():
            try:
                status, _, body = http(api + "/targets")
            except OSError:
                return None
            targets = json.loads(body)["data"]["activeTargets"] if status == 200 else []
            return [t for t in targets if t["health"] == "up" and not t["lastError"]]

        wait_until("Prometheus to scrape the demo successfully", target_up)
        result = wait_until("the scraped requests to be queryable",
                            lambda: query('sum(http_requests_total{route="/plaintext",status="200"})'))
        assert float(result[0]["value"][1]) >= 3, result
        up = query('up{job="cogi"}')
        assert up and up[0]["value"][1] == "1", up
        print(f"ok    a real Prometheus scraped the demo: "
              f"http_requests_total{{route=\"/plaintext\"}} = {result[0]['value'][1]}")
    except BaseException:
        log.flush()
        print(open(os.path.join(work, "prometheus.log")).read()[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(demo):
    work = tempfile.mkdtemp(prefix="cogi-prometheus.")
    process, port = start_demo(demo, work)
    try:
        check_exposition(f"http://127.0.0.1:{port}")
        check_prometheus_scrape(port, work)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=BOUND) == 0, "the demo did not exit 0 on SIGTERM"
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
