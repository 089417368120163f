"""The load benchmark: every server, every scenario, repeats alternating the servers,
medians; a CSV of every run, a Markdown report with ratios and targets, and plots.
bench/run.sh installs and builds what it needs, then runs this. `--help` for options."""
import argparse
import csv
import datetime
import os
import sys
import time
from pathlib import Path

import subprocess

import recovery
import report
import servers
import wrk
from measure import measure, settle
from scenarios import DB_SCENARIOS, MODEL_SCENARIOS, QUICK_SCENARIOS, SCENARIOS

COLUMNS = ["scenario", "server", "repeat", "connections", "pipeline", "requests", "seconds", "requests_per_s",
           "p50_ms", "p99_ms", "cpu_us_per_request", "peak_rss_kib", "non_2xx", "socket_errors", "timeouts",
           "held", "alive", "bytes_per_held_connection", "status"]
WARM_UP_S = 2


def parse_args():
    parser = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    parser.add_argument("--suite", choices=("http", "db", "model"), default="http",
                        help="http: the HTTP scenarios (default); db: TechEmpower's database tests against a "
                             "PostgreSQL 15 started for the run, and a PostgreSQL restart under load; model: a "
                             "typed handler reading a 5-field model against the same route by hand and FastAPI's")
    parser.add_argument("--quick", action="store_true",
                        help=f"cogi and nginx on {', '.join(QUICK_SCENARIOS)}, 3 s x 3: about a minute and a half; "
                             "prints the change against the previous quick run")
    parser.add_argument("--servers", help=f"comma-separated, of: {', '.join(servers.SERVERS)} "
                                          f"(default: {','.join(servers.DEFAULT_SERVERS)})")
    parser.add_argument("--scenarios", help=f"comma-separated, of: {', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--duration", type=int, help="seconds per run (default 10; quick: 3)")
    parser.add_argument("--repeats", type=int, help="runs per server and scenario (default 3)")
    parser.add_argument("--out", type=Path, help="where the results go (default bench/out/<time>-<mode>)")
    parser.add_argument("--baseline", type=Path, metavar="DEMO_BINARY",
                        help="also measure this earlier build of build/examples/demo, alternating with the "
                             "current one (a before/after of a change in one run: copy the binary aside first)")
    parser.add_argument("--compare", type=Path, help="an earlier run's directory to print the change against")
    parser.add_argument("--from-runs", type=Path, nargs="+", metavar="RUNS_CSV",
                        help="measure nothing: report on earlier runs.csv files; for each scenario the "
                             "last file that has it counts (to re-run one scenario and report on all)")
    args = parser.parse_args()
    quick = args.quick
    if args.suite == "db":
        # The database suite's servers and scenarios take the place of the HTTP ones.
        servers.SERVERS.clear()
        servers.SERVERS.update(servers.DB_SERVERS)
        SCENARIOS.clear()
        SCENARIOS.update(DB_SCENARIOS)
        default_servers, default_scenarios = servers.DEFAULT_DB_SERVERS, list(DB_SCENARIOS)
    elif args.suite == "model":
        servers.SERVERS.clear()
        servers.SERVERS.update(servers.MODEL_SERVERS)
        SCENARIOS.clear()
        SCENARIOS.update(MODEL_SCENARIOS)
        default_servers, default_scenarios = servers.DEFAULT_MODEL_SERVERS, list(MODEL_SCENARIOS)
    else:
        default_servers = ["cogi", "nginx"] if quick else servers.DEFAULT_SERVERS
        default_scenarios = QUICK_SCENARIOS if quick else list(SCENARIOS)
    args.servers = args.servers.split(",") if args.servers else list(default_servers)
    args.scenarios = args.scenarios.split(",") if args.scenarios else list(default_scenarios)
    args.duration = args.duration or (3 if quick else 10)
    args.repeats = args.repeats or 3
    if args.baseline:
        if not os.access(args.baseline, os.X_OK):
            parser.error(f"--baseline: {args.baseline} is not an executable")
        args.servers.insert(1, servers.add_baseline(args.baseline.resolve()))
    for name in args.servers:
        if name not in servers.SERVERS:
            parser.error(f"unknown server {name}")
    for name in args.scenarios:
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name}")
    mode = ("quick" if quick else "full") + ("" if args.suite == "http" else "-" + args.suite)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    # Absolute: the servers (nginx) are started in other working directories.
    args.out = (args.out or servers.ROOT / "bench" / "out" / f"{stamp}-{mode}").resolve()
    args.mode = mode
    return args


def start_all(specs, run_dir):
    """Starts every server in specs, and warms it up."""
    running = []
    for spec in specs:
        server = servers.start(spec, run_dir)
        if server.failure:
            print(f"   {spec.name}: {server.failure}", flush=True)
        else:
            try:  # warm-up: connections made, caches warm
                wrk.run(server.url + "/plaintext", 64, WARM_UP_S)
            except Exception as error:  # the measured runs report what is wrong
                print(f"   {spec.name}: warm-up failed: {error}".splitlines()[0], flush=True)
            settle(server)
        running.append(server)
    return running


def run_scenario(scenario, specs, args, writer, rows, run_dir):
    """Repeats alternate the servers. Every server starts afresh for the scenario, and for
    each repeat of a C10K scenario: memory per held connection is read against the
    server's resident memory before, which connections held earlier would have raised."""
    print(f"\n== {scenario.name}: {scenario.label}, {args.duration:g} s x {args.repeats}", flush=True)
    for spec in specs:
        if not spec.serves(scenario.path):
            row = {"scenario": scenario.name, "server": spec.name, "status": "n/a: does not serve " + scenario.path}
            writer.writerow(row)
            rows.append(row)
    serving = [spec for spec in specs if spec.serves(scenario.path)]
    rounds = [[r] for r in range(1, args.repeats + 1)] if scenario.hold else [list(range(1, args.repeats + 1))]
    for round_repeats in rounds:
        running = start_all(serving, run_dir)
        try:
            for repeat in round_repeats:
                for server in running:
                    row = {"scenario": scenario.name, "server": server.spec.name, "repeat": repeat,
                           "connections": scenario.connections, "pipeline": scenario.pipeline}
                    row.update(measure(server, scenario, args.duration))
                    raw = run_dir / f"{scenario.name}-{server.spec.name}-{repeat}.wrk.txt"
                    raw.write_text(row.pop("wrk_output", ""))
                    writer.writerow(row)
                    rows.append(row)
                    print("   " + report.run_line(row), flush=True)
                    settle(server)
        finally:
            for server in running:
                servers.stop(server)


def read_runs(paths):
    """Rows of earlier runs.csv files, typed; per scenario, those of the last file with it."""
    by_scenario = {}
    for path in paths:
        with open(path) as f:
            found = {}
            for row in csv.DictReader(f):
                for key, value in row.items():
                    if value == "":
                        row[key] = None
                    elif key not in ("scenario", "server", "status"):
                        row[key] = float(value)
                found.setdefault(row["scenario"], []).append(row)
        by_scenario.update(found)
    return [row for name in SCENARIOS for row in by_scenario.get(name, [])]


def start_services(run_dir):
    """PostgreSQL 15 (and redis-server) from scripts/test_services.sh, pinned to core 1
    with wrk, the same for every server; the hello_world tables filled. Returns the
    services' directory; the servers find the database through the environment."""
    services_dir = run_dir / "services"
    subprocess.run(["taskset", "-c", "1", str(servers.ROOT / "scripts" / "test_services.sh"), "start",
                    str(services_dir)], check=True)
    urls = dict(line.split("=", 1) for line in (services_dir / "env").read_text().split())
    servers.database_environment(urls)
    return services_dir


def stop_services(services_dir):
    subprocess.run([str(servers.ROOT / "scripts" / "test_services.sh"), "stop", str(services_dir)], check=False)


def measure_recovery(services_dir, run_dir):
    """cogi through a PostgreSQL restart under load (recovery.py)."""
    print("\n== recovery: PostgreSQL stopped and started under wrk load on /db", flush=True)
    server = servers.start(servers.SERVERS["cogi"], run_dir)
    if server.failure:
        return {"failure": server.failure}
    try:
        wrk.run(server.url + "/db", 64, WARM_UP_S)
        result = recovery.measure(server, services_dir)
    finally:
        servers.stop(server)
    print("   " + ", ".join(f"{k} {v}" for k, v in result.items() if k != "wrk"), flush=True)
    return result


def main():
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    run_dir = args.out / "run"
    run_dir.mkdir(exist_ok=True)
    specs = [servers.SERVERS[name] for name in args.servers]
    meta = report.machine(args, sys.argv[1:])
    meta["suite"] = args.suite
    started = time.monotonic()
    services_dir = start_services(run_dir) if args.suite == "db" and not args.from_runs else None
    try:
        rows = run_suite(args, specs, run_dir, meta, services_dir)
    finally:
        if services_dir:
            stop_services(services_dir)
    finish(args, rows, specs, meta, started)


def run_suite(args, specs, run_dir, meta, services_dir):
    if args.from_runs:
        rows = read_runs(args.from_runs)
        present = {row["scenario"] for row in rows}
        scenarios = [scenario for name, scenario in SCENARIOS.items() if name in present]
        meta["command"] = "assembled from " + ", ".join(str(p) for p in args.from_runs)
        with open(args.out / "runs.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        scenarios = [SCENARIOS[name] for name in args.scenarios]
        rows = []
        with open(args.out / "runs.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for scenario in scenarios:
                run_scenario(scenario, specs, args, writer, rows, run_dir)
                f.flush()
    if services_dir and "cogi" in args.servers:
        meta["recovery"] = measure_recovery(services_dir, run_dir)
    return rows


def finish(args, rows, specs, meta, started):
    scenarios = [SCENARIOS[name] for name in SCENARIOS if any(r["scenario"] == name for r in rows)]
    meta["minutes"] = round((time.monotonic() - started) / 60, 1)
    summary = report.summarise(rows, scenarios, specs)
    report.write_all(args.out, summary, scenarios, specs, meta)
    print("\n" + (args.out / "report.md").read_text())

    previous = args.compare
    latest = servers.ROOT / "bench" / "out" / f"latest-{args.mode}"
    if previous is None and latest.is_symlink():
        previous = latest.resolve()
    if previous and (previous / "summary.csv").exists():
        print(report.change_against(previous, summary))
    if latest.is_symlink() or not latest.exists():
        if latest.is_symlink():
            latest.unlink()
        os.symlink(args.out.resolve(), latest)
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()
