"""Writes docs/benchmarks.md from one run of bench/run.sh: its samples (bench/target/samples.txt: `sample ROW SIDE
VALUE` and `info KEY VALUE...` lines, see bench/lab-rows.sh) and JMH's JSON (absent with JMH=0).
Every row of issue 11's table: unitguard, its anchor from the same run, the ratio, the issue's goal, met or not.
  python3 bench/report.py bench/target/samples.txt bench/target/jmh.json > docs/benchmarks.md
"""
import datetime
import json
import math
import os
import statistics
import sys
from collections import defaultdict

samples = defaultdict(list)   # (row, side) -> [values]
info = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 4 and parts[0] == "sample":
        samples[(parts[1], parts[2])].append(float(parts[3]))
    elif len(parts) >= 2 and parts[0] == "info":
        info[parts[1]] = " ".join(parts[2:])
jmh = {}
jmh_runs = []
if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
    jmh_runs = json.load(open(sys.argv[2]))
    jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in jmh_runs}
# the CPU time per operation (bench/src CpuTimeProfiler), when it ran: waiting for a core does not count in it
jmh_cpu = {r["benchmark"].rsplit(".", 1)[1]: r["secondaryMetrics"]["cpu"] for r in jmh_runs
           if "cpu" in r.get("secondaryMetrics", {})}


def jmh_settings():
    """Forks, warm-up and measurement as the run used them, and the forks' own JVM flags."""
    if not jmh_runs:
        return ""
    r = jmh_runs[0]
    flags = " ".join(a for a in r.get("jvmArgs", []) if not a.startswith(("-XX:CompileCommandFile", "-Djmh.")))
    return (f"{r['forks']} forks, {r['warmupIterations']} × {r['warmupTime']} warm-up and "
            f"{r['measurementIterations']} × {r['measurementTime']} measured in each; the forks' JVM flags: {flags}")


def cpu(name):
    """' (CPU x ± e µs)' of a benchmark when its CPU time was measured."""
    c = jmh_cpu.get(name)
    return f" (CPU time {c['score']:.1f} ± {c['scoreError']:.1f} µs)" if c else ""


def values(row, side):
    return samples.get((row, side), [])


def median(row, side):
    v = values(row, side)
    return statistics.median(v) if v else None


def pct(row, side, q):
    """Nearest-rank percentile, as ScrapeLoad prints them."""
    v = sorted(values(row, side))
    return v[max(0, math.ceil(q * len(v)) - 1)] if v else None


def fmt_ms(x):
    if x is None:
        return "not measured"
    return f"{x:.0f} ms" if x >= 100 else f"{x:.1f} ms" if x >= 1 else f"{x * 1000:.0f} µs"


def n(row, side):
    return f" (n={len(values(row, side))})" if values(row, side) else ""


def verdict(ok):
    return "—" if ok is None else "**met**" if ok else "**not met**"


rows = []   # measure, unitguard, anchor, ratio, goal, met


def row(measure, ours, anchor, ratio, goal, ok):
    rows.append((measure, ours, anchor, ratio, goal, verdict(ok)))


def faster(anchor, ours):
    """'x× faster' or 'x× slower' of ours against the anchor."""
    if not (anchor and ours):
        return "—"
    return times(anchor, ours) + " faster" if anchor >= ours else times(ours, anchor) + " slower"


def times(a, b):
    """How many times b is a: 'x.x×'."""
    return (f"{a / b:.2f}×" if a / b < 10 else f"{a / b:.0f}×") if a and b else "—"


files = info.get("unit-files", "?")
probe_raw = median("probe", "systemd-run")

# 1. one static check, warm, in-process (JMH) beside the sandboxed probe it replaces
if "check" in jmh:
    check_us = jmh["check"]["score"]
    cheaper = probe_raw * 1000 / check_us if probe_raw else None
    row("one static check, warm, in-process (JMH `check`: candidate + path requirement, a snapshot of the kept "
        "host view)", f"{check_us:.1f} ± {jmh['check']['scoreError']:.1f} µs{cpu('check')}",
        f"sandboxed probe, raw `systemd-run --wait --pipe`: {fmt_ms(probe_raw)}",
        f"{cheaper:.0f}× cheaper" if cheaper else "—", "≥ 1000× cheaper, ≤ 50 µs",
        None if cheaper is None else cheaper >= 1000 and check_us <= 50)
else:
    row("one static check, warm, in-process", "not measured (JMH=0 or no `check` benchmark)", "—", "—",
        "≥ 1000× cheaper, ≤ 50 µs", None)

# 2. scoring the host's service files, warm (JMH scoreAll) beside one systemd-analyze call
warm_anchor = median("score.warm", "systemd-analyze")
if "scoreAll" in jmh:
    score_ms = jmh["scoreAll"]["score"] / 1000
    row(f"scoring the host's {files} service files, warm, in-process (JMH `scoreAll`: load + assess)",
        f"{score_ms:.2f} ± {jmh['scoreAll']['scoreError'] / 1000:.2f} ms"
        + (f" (CPU time {jmh_cpu['scoreAll']['score'] / 1000:.2f} ms)" if "scoreAll" in jmh_cpu else ""),
        f"one `systemd-analyze security --offline=true` call: {fmt_ms(warm_anchor)}{n('score.warm', 'systemd-analyze')}",
        faster(warm_anchor, score_ms), "≥ 10× faster",
        None if warm_anchor is None else warm_anchor / score_ms >= 10)
else:
    row(f"scoring the host's {files} service files, warm", "not measured (JMH=0 or no `scoreAll` benchmark)",
        fmt_ms(warm_anchor), "—", "≥ 10× faster", None)

# 3. the command line, cold
cli, cli_anchor = median("cli.score", "unitguard"), median("cli.score", "systemd-analyze")
row(f"`unitguard score` on the same files, cold CLI (shipped launcher, CDS archive: {info.get('cds-archive', '?')}; "
    f"{info.get('cds-used', '?')}; {info.get('cli-scored', '?')} scored)", fmt_ms(cli) + n("cli.score", "unitguard"),
    f"the same `systemd-analyze` call: {fmt_ms(cli_anchor)}{n('cli.score', 'systemd-analyze')}",
    times(cli, cli_anchor), "≤ 3×", None if not (cli and cli_anchor) else cli / cli_anchor <= 3)
ver = median("cli.version", "unitguard")
row("`unitguard --version`, cold CLI (the JVM and picocli's set-up alone)", fmt_ms(ver) + n("cli.version", "unitguard"),
    "—", "—", "— (part of the ≤ 3× above)", None)

# 4. probe, 5. apply
for key, what, anchor_side, anchor_what in (
        ("probe", "probe (`\"probe\": true` check through the agent, over its socket)", "systemd-run",
         "raw `systemd-run --wait --pipe` of the same script and properties"),
        ("apply", "apply without restart (`PUT /hardening` through the agent: write, reload, static check, probe)",
         "cp+daemon-reload", "`cp` of a drop-in + `systemctl daemon-reload`")):
    ours, anchor = median(key, "unitguard"), median(key, anchor_side)
    agent = median(key + ".agent", "unitguard")
    curl_start, run_start = median("client.start", "curl"), median("client.start", "systemd-run")
    parts = ""
    if agent and anchor:
        parts = (f"; of which the agent, from connect to answer (curl's time_total): {fmt_ms(agent)}, "
                 f"{times(agent, anchor)} the anchor")
        if curl_start and run_start:
            parts += (f"; each client's own start and exit: curl {fmt_ms(curl_start)}, systemd-run "
                      f"{fmt_ms(run_start)} (--version)")
    row(what, fmt_ms(ours) + n(key, "unitguard") + parts, f"{anchor_what}: {fmt_ms(anchor)}{n(key, anchor_side)}",
        times(ours, anchor), "≤ 1.2×", None if not (ours and anchor) else ours / anchor <= 1.2)

# 6. /metrics
ag50, ag99 = pct("metrics", "unitguard", .5), pct("metrics", "unitguard", .99)
ne50, ne99 = pct("metrics", "node_exporter", .5), pct("metrics", "node_exporter", .99)
row(f"GET /metrics, {info.get('metrics-units', '~200 service units')} (curl's time_total, sequential)",
    f"p50 {fmt_ms(ag50)}, p99 {fmt_ms(ag99)}{n('metrics', 'unitguard')}",
    f"node_exporter, systemd collector alone: p50 {fmt_ms(ne50)}, p99 {fmt_ms(ne99)}{n('metrics', 'node_exporter')}",
    "p50 " + faster(ne50, ag50), "≥ 5× faster, p99 ≤ 10 ms",
    None if not (ag50 and ne50) else ne50 / ag50 >= 5 and ag99 <= 10)
bursts = values("metrics.concurrent", "unitguard")
failure = info.get("concurrent-failure")
row(f"GET /metrics, {info.get('concurrency', '1000')} concurrent scrapes (ScrapeLoad `load` in the lab, p99 of "
    f"each burst; {info.get('concurrent-limits', '')})",
    (f"p99 {fmt_ms(statistics.median(bursts))} (median of {len(bursts)} bursts; worst {fmt_ms(max(bursts))})"
     if bursts else "no burst measured") + (f"; {failure}" if failure else ""), "—", "—", "p99 ≤ 1 s",
    None if not bursts and not failure else not failure and statistics.median(bursts) <= 1000)

# 7. resident memory
def mb(x):
    return "not measured" if x is None else f"{x:.0f} MB"


r0, r1 = median("rss.start", "unitguard"), median("rss.after", "unitguard")
n0, n1 = median("rss.start", "node_exporter"), median("rss.after", "node_exporter")
row(f"agent RSS at start (first reading over) / after {info.get('requests-ok', '1000 requests').split(' of ')[-1]} "
    "requests (shipped JVM flags; VmRSS from /proc)", f"{mb(r0)} / {mb(r1)}",
    f"node_exporter: {mb(n0)} / {mb(n1)} (after its scrapes above)", times(r1, n1),
    "≤ 64 MB", None if r0 is None or r1 is None else max(r0, r1) <= 64)

# 8. start to READY=1, memory flat in units
ready = sorted(int(k[0].split(".")[1]) for k in samples if k[0].startswith("ready.") and k[1] == "unitguard")
for count in ready:
    total = info.get(f"ready.{count}", "").split(", ")[-1].split(" ")[0]
    total_n = int(total) if total.isdigit() else count
    goal_ms = 1000 if total_n <= 200 else 3000 if total_n >= 2000 else 1000 + (total_n - 200) * 2000 / 1800
    t = median(f"ready.{count}", "unitguard")
    rss = median(f"rss.ready.{count}", "unitguard")
    failures = [v for k, v in info.items() if k.startswith(f"ready-failure.{count}.")]
    row(f"start to READY=1, {count} generated units ({total or '?'} service units loaded)",
        f"{fmt_ms(t)}{n(f'ready.{count}', 'unitguard')}; RSS {mb(rss)} once all read"
        + (f"; {len(failures)} restart(s) failed, the last: {failures[-1]}" if failures else ""), "—", "—",
        f"≤ {goal_ms / 1000:.1f} s" + (" (interpolated between 1 s at 200 and 3 s at 2000)"
                                       if 200 < total_n < 2000 else ""), t <= goal_ms)
if len(ready) >= 2:
    lo, hi = ready[0], ready[-1]
    m_lo, m_hi = median(f"rss.ready.{lo}", "unitguard"), median(f"rss.ready.{hi}", "unitguard")
    per_unit = (m_hi - m_lo) * 1024 / (hi - lo)
    row(f"memory per unit, {lo} to {hi} generated units (RSS once all read)", f"{per_unit:.0f} KB a unit",
        "—", "—", "flat: ≤ 48 KB a unit (ScaleAgentIT's bound), under MemoryMax=384M",
        per_unit <= 48 and m_hi < 384)

# --- the document ---
load_start, load_end = info.get("load-start", "?"), info.get("load-end", "?")
print("# Benchmarks\n")
print("Generated by `bench/run.sh` on " + datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
      + f" in {info.get('duration-seconds', '?')} s; {info.get('cores', os.cpu_count())} cores, load average "
      f"{load_start} at the start and {load_end} at the end; {info.get('java', '?')}; "
      f"{info.get('systemd-analyze', '?')} on the host, {info.get('lab-systemd', 'no lab')} in the lab; "
      f"{info.get('node_exporter', 'node_exporter not run')}.\n")
try:
    busy = float(load_start.split()[0]) > 1.5
except ValueError:
    busy = True
if busy:
    print(f"**Warning: the 1-minute load average was {load_start.split()[0]} at the start (above 1.5): other work "
          "shared the machine, so the absolute times below are not valid; the ratios, measured side by side, are "
          "less affected. Regenerate on a quiet machine.**\n")
print("Every row and its anchor were measured in this run, alternating within each round (which one goes first "
      "alternates too); the value is the median unless a percentile is named, n is the number of samples. Unit set "
      f"of the scoring rows: the {files} non-template, unmasked service files of `{info.get('unit-dir', '?')}`. "
      "The lab rows run in a systemd 252 lab (systemd-nspawn) with the agent installed as the package installs it "
      f"(the shipped unit's JVM flags: `{info.get('agent-command', '?')}`).\n")
print("| measure | unitguard | anchor | ratio | goal (issue 11) | |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")

other = [k for k in ("parse", "load", "checkNewHostView", "evaluateWarmHost", "evaluateWarmSnapshot") if k in jmh]
if other:
    print("\nOther JMH measures (warm, in-process, average wall time per operation ± the 99.9% error, and the "
          "benchmark thread's CPU time per operation; " + jmh_settings() + "):\n")
    words = {"parse": "parse one unit file", "load": "load one unit (search path index, fragment, drop-ins)",
             "checkNewHostView": "one static check with a new host view per check (the API before)",
             "evaluateWarmHost": "evaluate one unit against a warm host view",
             "evaluateWarmSnapshot": "evaluate one unit against one warm snapshot (no system call left)"}
    for k in other:
        print(f"- {words[k]}: {jmh[k]['score']:.1f} ± {jmh[k]['scoreError']:.1f} µs{cpu(k)}")
failed = [v for k, v in info.items() if k.startswith(("failed-", "scale-failed.")) or k == "lab-failed"]
if failed:
    print("\n**Steps that failed in this run (their rows show as not measured): " + "; ".join(failed) + ".**")
notes = [f"{k}: {v}" for k, v in info.items() if k.startswith(("scrapeload", "probe-properties", "requests-ok"))]
if notes:
    print("\nAlso seen: " + "; ".join(notes) + ".")
print("\nHow each side is timed: wall-clock around one client call (bash's `$EPOCHREALTIME`, no fork) for the "
      "command line, the probe and the apply, on both sides (the goal is judged on these; the probe and apply rows also "
      "give curl's `time_total`, the agent's part from connect to answer, and what each client costs itself: curl's "
      "start and exit as the wall time of a `GET /health/live` less its `time_total`, systemd-run's as the wall time "
      "of `systemd-run --version`); curl's `time_total` for the sequential /metrics scrapes "
      "(both sides); the agent's READY=1 as systemd saw it (`ActiveEnterTimestampMonotonic` − "
      "`ExecMainStartTimestampMonotonic`, after `systemctl restart`); the resident memory as `VmRSS` of the main "
      "process. node_exporter runs with `--collector.disable-defaults --collector.systemd` in the same lab. "
      "The raw probe anchor is the agent's own `StartTransientUnit` call, recorded with `busctl monitor` and replayed "
      "through `systemd-run` (properties without a `-p` form, such as `AddRef=`, are left out).")
print("\nRe-run: `bench/run.sh` as root (`LAB=0` skips the lab, `JMH=0` the JMH rows, `BUILD=0` the build; counts: "
      "`ROUNDS`, `SCRAPES`, `METRICS_UNITS`, `READY_UNITS`, `READY_ROUNDS`, `REQUESTS`, `CONCURRENCY`; see "
      "bench/run.sh and bench/lab.sh). Raw samples: bench/target/samples.txt. These are measurements, not "
      "assertions: no test depends on them.")
print("\nWhat bounds each row not met, and what would get it there: [performance.md](performance.md), from the profiles "
      "in [profiles.md](profiles.md) (`bench/profile.sh`, after this script).")
