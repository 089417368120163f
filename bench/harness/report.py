"""Turns the runs into figures: medians per server and scenario (summary.csv), the
Markdown report with cogi's ratios and the targets (report.md), and plots (PNG)."""
import csv
import datetime
import os
import platform
import statistics
import subprocess

FIGURES = ["requests_per_s", "p50_ms", "p99_ms", "cpu_us_per_request", "bytes_per_held_connection"]
SUMMARY_COLUMNS = ["scenario", "server", "runs", "requests_per_s", "p50_ms", "p99_ms", "cpu_us_per_request",
                   "peak_rss_kib", "held", "alive", "bytes_per_held_connection",
                   "cogi_ratio_requests_per_s", "cogi_ratio_cpu_us_per_request", "status"]


def run_line(row):
    if "requests_per_s" not in row:
        return f"{row['server']:<17} run {row.get('repeat', '-')}: {row['status']}"
    text = (f"{row['server']:<17} run {row['repeat']}: {row['requests_per_s']:>10,.0f} req/s  "
            f"p99 {_num(row['p99_ms'], 2)} ms  {_num(row['cpu_us_per_request'], 2)} us/req")
    if row.get("held") is not None:
        text += f"  held {row['held']:,} alive {row['alive']:,} {_num(row['bytes_per_held_connection'], 0)} B/conn"
    return text + ("" if row["status"] == "ok" else f"  [{row['status']}]")


def _num(value, digits):
    return "-" if value is None or value == "" else f"{float(value):,.{digits}f}"


def machine(args, argv):
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        memory_gib = int(f.readline().split()[1]) / 1024 / 1024
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{model}, {os.cpu_count()} cores, {memory_gib:.0f} GiB, Linux {platform.release()}",
        "command": "bench/run.sh " + " ".join(argv),
        "duration": args.duration,
        "repeats": args.repeats,
        "wrk": wrk_version.strip(),
    }


def summarise(rows, scenarios, specs):
    summary = []
    for scenario in scenarios:
        for spec in specs:
            runs = [r for r in rows if r["scenario"] == scenario.name and r["server"] == spec.name]
            # A run the server did not survive has no figures worth a median.
            measured = [r for r in runs if r.get("requests_per_s") is not None and not r["status"].startswith("failed")]
            entry = {"scenario": scenario.name, "server": spec.name, "runs": len(measured)}
            for key in FIGURES + ["held", "alive"]:
                values = [r[key] for r in measured if r.get(key) is not None]
                entry[key] = statistics.median(values) if values else None
            for key in ("requests_per_s", "cpu_us_per_request"):
                entry[f"cogi_ratio_{key}"] = paired_ratio(rows, scenario.name, spec.name, key)
            peaks = [r["peak_rss_kib"] for r in measured if r.get("peak_rss_kib")]
            entry["peak_rss_kib"] = max(peaks) if peaks else None
            problems = sorted({_short(r["status"]) for r in runs if r["status"] != "ok"})
            if not problems:
                entry["status"] = "ok"
            elif len(problems) == 1 and all(_short(r["status"]) == problems[0] for r in runs):
                entry["status"] = problems[0]
            else:
                bad = sum(r["status"] != "ok" for r in runs)
                more = f" (and {len(problems) - 1} more like it)" if len(problems) > 1 else ""
                entry["status"] = f"{bad} of {len(runs)} runs: {problems[0]}{more}"
            summary.append(entry)
    return summary


def paired_ratio(rows, scenario, server, key):
    """cogi ÷ server, repeat by repeat, and the median of those ratios. Repeats alternate
    the servers, so each pair ran within a minute of each other: on a shared machine,
    whose speed drifts by 10% and more over a run, a pair's ratio is steadier than the
    ratio of two medians taken from different minutes."""
    def by_repeat(name):
        return {r["repeat"]: r[key] for r in rows
                if r["scenario"] == scenario and r["server"] == name and r.get(key)
                and not r["status"].startswith("failed")}
    cogi, peer = by_repeat("cogi"), by_repeat(server)
    ratios = [cogi[repeat] / peer[repeat] for repeat in cogi if repeat in peer]
    return statistics.median(ratios) if ratios else None


def _short(status):
    """A status with a server's log tail in it ("failed: why: line | line | line") keeps
    the why and the log's last line, which names the error."""
    if " | " not in status:
        return status
    why = ": ".join(status.split(": ")[:2])
    return f"{why}: {status.split(' | ')[-1].strip()}"


def _find(summary, scenario, server):
    for entry in summary:
        if entry["scenario"] == scenario and entry["server"] == server:
            return entry
    return None


def _value(summary, scenario, server, key):
    entry = _find(summary, scenario, server)
    return entry.get(key) if entry and entry["status"] != "n/a" else None


def _judge_into(out):
    def judge(target, measured, met):
        out.append((target, measured, "not measured" if met is None else ("met" if met else "**missed**")))
    return judge


def db_targets(summary, meta):
    """Issue 13's targets for the database suite: requests per app-server CPU-second
    against the asyncio and the threaded peer (the paired ratio of CPU per request,
    inverted), and the recovery from a PostgreSQL restart under load."""
    out = []
    judge = _judge_into(out)
    for scenario in ("db", "fortunes"):
        for peer, factor in (("aiohttp-asyncpg", 3), ("gunicorn-gthread-psycopg", 10)):
            cpu_ratio = _value(summary, scenario, peer, "cogi_ratio_cpu_us_per_request")
            ccpu, pcpu = (_value(summary, scenario, s, "cpu_us_per_request") for s in ("cogi", peer))
            target = f"{scenario}: requests per app-server CPU-second ≥ {factor}× {peer}"
            if cpu_ratio:
                judge(target, f"{1 / cpu_ratio:.1f}× paired (medians {ccpu:.1f} vs {pcpu:.1f} µs CPU/request)",
                      1 / cpu_ratio >= factor)
            else:
                judge(target, "-", None)
    r = meta.get("recovery")
    if r and "failure" not in r:
        judge("PostgreSQL restart under load: 503s, not hangs, while it is down",
              f"{r['503s_while_down']:,} of {r['answers_while_down']:,} probe answers 503 "
              f"({r['other_while_down']} other), slowest {r['slowest_while_down_s'] * 1000:.0f} ms",
              r["answers_while_down"] > 0 and r["other_while_down"] == 0 and r["slowest_while_down_s"] < 2.5)
        judge("PostgreSQL restart under load: all 200 within 2 s of it answering again",
              f"{r['recovered_after_s']:.2f} s ({r['non_200_after']} non-200 of {r['answers_after']:,} after)",
              r["recovered_after_s"] <= 2.0)
    elif r:
        judge("PostgreSQL restart under load", r["failure"], False)
    return out


def model_targets(summary):
    """Issue 15's: the typed handler costs at most 5% more CPU per request than the same
    route written by hand; against FastAPI, the figures."""
    out = []
    judge = _judge_into(out)
    ratio = _value(summary, "model", "cogi-handwritten", "cogi_ratio_cpu_us_per_request")
    typed, by_hand = (_value(summary, "model", s, "cpu_us_per_request") for s in ("cogi", "cogi-handwritten"))
    judge("POST /model: typed CPU per request ≤ 1.05× by hand",
          f"{ratio:.3f}× paired (medians {typed:.2f} vs {by_hand:.2f} µs)" if ratio and typed and by_hand else "-",
          ratio <= 1.05 if ratio else None)
    rps, cpu = (_value(summary, "model", "fastapi", f"cogi_ratio_{key}") for key in ("requests_per_s",
                                                                                      "cpu_us_per_request"))
    judge("POST /model: requests/s against FastAPI (no target: the figure)", f"{rps:.1f}× paired" if rps else "-",
          True if rps else None)
    judge("POST /model: CPU per request against FastAPI (no target: the figure)", f"{cpu:.3f}× paired" if cpu else "-",
          True if cpu else None)
    return out


def targets(summary, meta=None):
    """Issue 5's and docs/performance.md's targets: (target, measured, verdict)."""
    if meta and meta.get("suite") == "db":
        return db_targets(summary, meta)
    if meta and meta.get("suite") == "model":
        return model_targets(summary)
    out = []
    judge = _judge_into(out)

    # Judged on the paired ratio (see paired_ratio()); the medians are shown beside it.
    for scenario in ("plaintext", "json"):
        cogi, nginx = (_value(summary, scenario, s, "requests_per_s") for s in ("cogi", "nginx"))
        ccpu, ncpu = (_value(summary, scenario, s, "cpu_us_per_request") for s in ("cogi", "nginx"))
        ratio = _value(summary, scenario, "nginx", "cogi_ratio_requests_per_s")
        cpu_ratio = _value(summary, scenario, "nginx", "cogi_ratio_cpu_us_per_request")
        if cogi and nginx and ratio:
            judge(f"{scenario}: requests/s ≥ nginx",
                  f"{ratio:.3f}× paired (medians {cogi:,.0f} vs {nginx:,.0f})", ratio >= 1)
        else:
            judge(f"{scenario}: requests/s ≥ nginx", "-", None)
        if ccpu and ncpu and cpu_ratio:
            judge(f"{scenario}: CPU per request ≤ nginx",
                  f"{cpu_ratio:.3f}× paired (medians {ccpu:.2f} vs {ncpu:.2f} µs)", cpu_ratio <= 1)
        else:
            judge(f"{scenario}: CPU per request ≤ nginx", "-", None)
    cogi_p99, nginx_p99 = (_value(summary, "plaintext", s, "p99_ms") for s in ("cogi", "nginx"))
    judge("plaintext: p99 latency ≤ nginx", f"{_num(cogi_p99, 2)} vs {_num(nginx_p99, 2)} ms",
          cogi_p99 <= nginx_p99 if cogi_p99 and nginx_p99 else None)
    for connections in (256, 1024):
        ideal = connections / 0.020
        cogi = _value(summary, f"sleep-{connections}", "cogi", "requests_per_s")
        judge(f"/sleep?ms=20 c={connections}: within 5% of {ideal:,.0f} req/s",
              f"{cogi:,.0f} ({cogi / ideal:.3f} of ideal)" if cogi else "-",
              cogi >= 0.95 * ideal if cogi else None)
    cogi, gthread = (_value(summary, "sleep-256", s, "requests_per_s") for s in ("cogi", "gunicorn-gthread"))
    judge("/sleep?ms=20 c=256: ≥ 8× gunicorn gthread",
          f"{cogi / gthread:.1f}× ({cogi:,.0f} vs {gthread:,.0f})" if cogi and gthread else "-",
          cogi >= 8 * gthread if cogi and gthread else None)
    entry = _find(summary, "c10k", "cogi")
    if entry and entry.get("held") is not None:
        per = entry["bytes_per_held_connection"]
        judge("C10K: 10,000 idle connections held, all still answering",
              f"held {entry['held']:,.0f}, alive {entry['alive']:,.0f}", entry["alive"] >= 10_000)
        judge("C10K: ≤ 2 KiB resident memory per held connection", f"{_num(per, 0)} bytes",
              per is not None and per <= 2048)
    return out


def markdown(summary, scenarios, specs, meta):
    lines = [f"# cogi load benchmark, {meta['date']}", "",
             f"- Machine: {meta['machine']}",
             f"- Command: `{meta['command']}` ({meta['duration']:g} s per run, {meta['repeats']} repeats, "
             f"servers alternating; medians, and cogi ÷ each peer as the median of the per-repeat ratios; "
             f"took {meta.get('minutes', '?')} min)",
             f"- Every server pinned to core 0 with one worker, loop or pool; {meta['wrk']} (one thread) on core 1; "
             "CPU per request is the server's whole process tree's utime+stime from /proc over the run.",
             "", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(summary, meta)]
    if meta.get("suite") == "db":
        lines += ["", "PostgreSQL 15 (scripts/test_services.sh: fsync off) runs on core 1 beside wrk, the same for "
                  "every server; CPU per request counts the app server's processes only."]
        if meta.get("recovery", {}).get("wrk"):
            lines += ["", f"Recovery run, wrk on /db meanwhile: `{meta['recovery']['wrk']}`"]
    models = {spec.name: spec.model for spec in specs}
    for scenario in scenarios:
        lines += ["", f"## {scenario.name}: `{scenario.label}`", ""]
        if scenario.ideal_requests_per_s:
            lines += [f"Ideal: {scenario.ideal_requests_per_s:,.0f} req/s (connections ÷ {scenario.sleep_ms} ms). "
                      "Latency counts answered requests only: a server with 32 threads answers 32 connections "
                      "at a time and leaves the others waiting, which shows as requests/s below the ideal "
                      "(and as timeouts once a wait passes 5 s), not in p99.", ""]
        header = "| server | req/s | cogi ÷ it (paired) | p50 ms | p99 ms | CPU µs/req | peak RSS MiB |"
        rule = "|---|---:|---:|---:|---:|---:|---:|"
        if scenario.hold:
            header += " held | still answering | bytes/held conn |"
            rule += "---:|---:|---:|"
        lines += [header + " status |", rule + "---|"]
        for spec in specs:
            e = _find(summary, scenario.name, spec.name)
            rps = e.get("requests_per_s")
            ratio = f"{e['cogi_ratio_requests_per_s']:.2f}×" if e.get("cogi_ratio_requests_per_s") else "-"
            row = (f"| {spec.name} ({models[spec.name]}) | {_num(rps, 0)} | {ratio} | {_num(e.get('p50_ms'), 2)} | "
                   f"{_num(e.get('p99_ms'), 2)} | {_num(e.get('cpu_us_per_request'), 2)} | "
                   f"{_num(e['peak_rss_kib'] / 1024 if e.get('peak_rss_kib') else None, 1)} |")
            if scenario.hold:
                row += (f" {_num(e.get('held'), 0)} | {_num(e.get('alive'), 0)} | "
                        f"{_num(e.get('bytes_per_held_connection'), 0)} |")
            lines.append(row + f" {e['status']} |")
    lines += ["", "Plots: `requests_per_s.png`, `sleep_concurrency.png`, `cpu_per_request.png`."]
    return "\n".join(lines) + "\n"


def plots(out, summary, scenarios, specs):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "plots skipped: python3-matplotlib is not installed"
    names = [spec.name for spec in specs]
    colours = {name: plt.cm.tab10(i % 10) for i, name in enumerate(names)}

    def bars(key, title, filename):  # linear from zero: a bar's length is its value
        columns = min(4, len(scenarios))
        rows = (len(scenarios) + columns - 1) // columns
        fig, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, 0.9 + 0.45 * len(names) * rows + 0.8 * rows),
                                 squeeze=False, layout="constrained")
        for ax, scenario in zip(axes.flat, scenarios):
            values = [_value(summary, scenario.name, n, key) or 0 for n in names]
            ax.barh(names, values, color=[colours[n] for n in names])
            ax.invert_yaxis()
            ax.set_title(scenario.label, fontsize=9)
            ax.tick_params(labelsize=8)
            ax.set_xlim(0, max(values + [1]) * 1.35)  # room for the labels
            ax.ticklabel_format(axis="x", style="plain")
            for y, v in enumerate(values):
                ax.text(v, y, f" {v:,.0f}" if v >= 10 else (f" {v:.2f}" if v else " n/a"), va="center", fontsize=7)
        for ax in list(axes.flat)[len(scenarios):]:
            ax.axis("off")
        fig.suptitle(title)
        fig.savefig(out / filename, dpi=110)
        plt.close(fig)

    bars("requests_per_s", "Requests per second (one core; median)", "requests_per_s.png")
    bars("cpu_us_per_request", "Server CPU time per request, µs (lower is better)", "cpu_per_request.png")

    sleeps = [s for s in scenarios if s.sleep_ms]
    if sleeps:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        xs = [s.connections for s in sleeps]
        ax.plot(xs, [s.ideal_requests_per_s for s in sleeps], "k--", label="ideal (c ÷ 20 ms)")
        for name in names:
            points = [(s.connections, _value(summary, s.name, name, "requests_per_s")) for s in sleeps]
            points = [(x, y) for x, y in points if y]  # a failed scenario has no point
            if points:
                failed = " (failed beyond)" if len(points) < len(sleeps) else ""
                ax.plot(*zip(*points), "o-", color=colours[name], label=name + failed)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.set_xlabel("concurrent connections")
        ax.set_ylabel("requests/s")
        ax.set_title("/sleep?ms=20: who waits without holding a thread")
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(out / "sleep_concurrency.png", dpi=110)
        plt.close(fig)
    return None


def write_all(out, summary, scenarios, specs, meta):
    with open(out / "summary.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(summary)
    (out / "report.md").write_text(markdown(summary, scenarios, specs, meta))
    skipped = plots(out, summary, scenarios, specs)
    if skipped:
        print(skipped)


def change_against(previous, summary):
    """This run's medians beside an earlier run's (the quick mode's before/after)."""
    with open(previous / "summary.csv") as f:
        before = {(r["scenario"], r["server"]): r for r in csv.DictReader(f)}
    lines = [f"Change against {previous.name} (now ÷ then):", "",
             "| scenario | server | req/s now | req/s then | req/s ratio | CPU/req ratio |", "|---|---|---:|---:|---:|---:|"]
    for entry in summary:
        old = before.get((entry["scenario"], entry["server"]))
        if not old or not entry.get("requests_per_s") or not old.get("requests_per_s"):
            continue
        rps_old, cpu_old = float(old["requests_per_s"]), float(old["cpu_us_per_request"] or 0)
        cpu_ratio = f"{entry['cpu_us_per_request'] / cpu_old:.3f}" if cpu_old and entry["cpu_us_per_request"] else "-"
        lines.append(f"| {entry['scenario']} | {entry['server']} | {entry['requests_per_s']:,.0f} | {rps_old:,.0f} | "
                     f"{entry['requests_per_s'] / rps_old:.3f} | {cpu_ratio} |")
    return "\n".join(lines) + "\n"
