"""A PostgreSQL restart under load (the database suite's fault scenario): wrk keeps
/db busy at 256 connections while a few probe clients record every answer with its
time and latency; PostgreSQL is stopped, then started again. The server must answer
503 while the database is away (quickly: no request hangs) and 200 again within 2 s
of the database answering again."""
import http.client
import subprocess
import threading
import time

from servers import ROOT

SERVICES = ROOT / "scripts" / "test_services.sh"


def _probe(port, until, answers, lock):
    connection = None
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/db")
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0  # no answer: a reset, or a hang ended by the timeout
            connection = None
        with lock:
            answers.append((started, time.monotonic() - started, status))


def measure(server, services_dir, down_after_s=3.0, down_for_s=3.0, after_s=5.0, probes=4):
    """Returns what happened: the 503s and other answers while the database was down,
    the slowest answer meanwhile, and how long after PostgreSQL answered again the
    server's answers were all 200."""
    total = down_after_s + down_for_s + after_s
    wrk = subprocess.Popen(["taskset", "-c", "1", "wrk", "-t1", "-c256", f"-d{round(total) + 1}s", "--timeout", "5s",
                            server.url + "/db"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    answers, lock = [], threading.Lock()
    until = time.monotonic() + total
    threads = [threading.Thread(target=_probe, args=(server.port, until, answers, lock)) for _ in range(probes)]
    for t in threads:
        t.start()
    time.sleep(down_after_s)
    subprocess.run(["taskset", "-c", "1", str(SERVICES), "stop-postgres", str(services_dir)], check=True)
    down_at = time.monotonic()
    time.sleep(down_for_s)
    subprocess.run(["taskset", "-c", "1", str(SERVICES), "start-postgres", str(services_dir)], check=True)
    up_at = time.monotonic()  # pg_ctl start -w returns once PostgreSQL accepts connections
    for t in threads:
        t.join()
    wrk_output = wrk.communicate(timeout=60)[0]

    during = [a for a in answers if down_at <= a[0] < up_at]
    after = [a for a in answers if a[0] >= up_at]
    failing_after = [a for a in after if a[2] != 200]
    # Recovered when the last request that started after the restart and failed ended.
    recovered_s = max((a[0] + a[1] - up_at for a in failing_after), default=0.0)
    return {
        "answers_while_down": len(during),
        "503s_while_down": sum(1 for a in during if a[2] == 503),
        "other_while_down": sum(1 for a in during if a[2] not in (503, 200)),
        "slowest_while_down_s": max((a[1] for a in during), default=0.0),
        "recovered_after_s": recovered_s,
        "non_200_after": len(failing_after),
        "answers_after": len(after),
        "wrk": "; ".join(line.strip() for line in wrk_output.splitlines()
                         if "requests in" in line or "Non-2xx" in line or "Requests/sec" in line),
    }
