#!/usr/bin/env bash
# The lab rows of docs/benchmarks.md, run INSIDE the lab that bench/lab.sh boots (it calls this through nsenter, with
# bench/ bound read-only at /opt/unitguard-bench). Each measurement prints one line on stdout:
#   sample ROW SIDE VALUE      (VALUE in ms, or MB for rss.* rows)
#   info KEY VALUE...          (what the reader needs to judge a sample: unit counts, versions)
# Times are wall-clock around one client call ($EPOCHREALTIME, no fork), except the /metrics scrapes, which are
# curl's own time_total (a scrape is a few ms: curl's start would dwarf it); both sides of a row are timed the same way.
# Rows and their anchors alternate within each round, and which of the two goes first alternates between rounds.
set -euo pipefail
SOCKET=/run/unitguard/agent.sock
AGENT=http://127.0.0.1:9647
NODE=http://127.0.0.1:9100
STATE=/run/ugbench
mkdir -p "$STATE"

ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }
sample() { echo "sample $1 $2 $3"; }
warn() { echo "lab-rows: $*" >&2; }

agent_pid() { systemctl show -P MainPID unitguard.service; }
node_pid() { systemctl show -P MainPID ugbench-node-exporter.service; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
service_units() { systemctl list-units --all --type=service --plain --no-legend | wc -l; }

# The agent's names on the system bus (its unique names), as IdleAgentIT finds them.
agent_bus_names() {
  busctl list --unique --no-legend --no-pager | awk -v p="$(agent_pid)" '$2 == p { print $1 }'
}

check_body='{"set": {"ProtectSystem": "strict"}, "requires": {"paths": [{"path": "/srv/ugapp/data.txt", "access": "rw"}]}, "probe": true}'

probe_once() {  # prints the status code and curl's time_total (s)
  curl -sS --max-time 60 -o "$STATE/probe.out" -w '%{http_code} %{time_total}\n' --unix-socket "$SOCKET" \
    -H 'Content-Type: application/json' -d "$check_body" http://localhost/v1/units/ugapp.service/check
}

# One probe through the agent while busctl records the agent's calls; the StartTransientUnit call it made becomes
# the anchor's command line: systemd-run --wait --pipe with the same properties and the same /bin/sh -c script
# (NUL-separated in $STATE/probe-args). Properties without a systemd-run -p form are named on stderr and left out.
capture_probe() {
  local names
  names=$(agent_bus_names)
  [[ -n $names ]] || { warn "no bus connection of the agent"; exit 3; }
  # shellcheck disable=SC2086
  timeout 30 busctl monitor --json=short $names > "$STATE/monitor.json" 2> /dev/null &
  local monitor=$!
  sleep 1
  [[ $(probe_once) == "200 "* ]] || { warn "probe failed: $(cat "$STATE/probe.out")"; exit 3; }
  sleep 0.5
  kill "$monitor" 2>/dev/null || true
  wait "$monitor" 2>/dev/null || true
  python3 - "$STATE/monitor.json" "$STATE/probe-args" <<'PY'
import json, sys
call = None
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("member") == "StartTransientUnit":
        call = m
        break
if call is None:
    sys.exit("lab-rows: the probe's StartTransientUnit call was not seen")
args, exec_start = ["--wait", "--pipe", "--quiet"], None
for name, value in call["payload"]["data"][2]:
    t, d = value["type"], value["data"]
    if name == "ExecStart":
        exec_start = d[0][1]
    elif name.startswith("StandardOutput") or name.startswith("StandardError") or name.startswith("StandardInput"):
        continue  # --pipe connects them to the caller (the agent's probe writes to a file systemd opens instead)
    elif name == "AddRef":
        continue  # systemd-run has no -p form for it (it only pins the unit until the caller lets go)
    elif t == "s":
        args += ["-p", f"{name}={d}"]
    elif t == "b":
        args += ["-p", f"{name}={'yes' if d else 'no'}"]
    elif t == "t" and name.endswith("USec"):
        args += ["-p", f"{name[:-4]}Sec={d}us"]
    elif t == "as":
        args += ["-p", f"{name}={' '.join(d)}"]
    else:
        print(f"lab-rows: the anchor leaves out {name} ({t}): no simple -p form", file=sys.stderr)
if exec_start is None:
    sys.exit("lab-rows: the probe's call had no ExecStart")
args += exec_start
open(sys.argv[2], "wb").write(b"\0".join(a.encode() for a in args) + b"\0")
print("info probe-properties " + " ".join(a for a in args[3:] if a != "-p" and "\n" not in a)[:300])
PY
}

probe_row() {
  local t0 t1 code total
  t0=$EPOCHREALTIME; read -r code total < <(probe_once); t1=$EPOCHREALTIME
  if [[ $code == 200 ]] && grep -q '"probe"' "$STATE/probe.out"; then
    sample probe unitguard "$(ms "$t0" "$t1")"
    sample probe.agent unitguard "$(ms 0 "$total")"  # connect to answer: curl's own start and exit left out
  else
    warn "probe answered $code: $(head -c 300 "$STATE/probe.out")"
  fi
}

probe_anchor() {
  local t0 t1 args=()
  mapfile -d '' args < "$STATE/probe-args"
  t0=$EPOCHREALTIME
  if systemd-run "${args[@]}" > "$STATE/raw.out" 2>&1 && grep -q '^UGPROBE end' "$STATE/raw.out"; then
    t1=$EPOCHREALTIME
    sample probe systemd-run "$(ms "$t0" "$t1")"
  else
    warn "raw systemd-run probe failed: $(head -c 300 "$STATE/raw.out")"
  fi
}

apply_row() {
  local n=$1 t0 t1 code total body
  # a new Environment= value each time: a real change (write, reload, probe), never "unchanged"
  body='{"set": {"ProtectSystem": "strict", "ReadWritePaths": "/srv/ugapp", "Environment": "UGBENCH='"$n"'"}, "requires": {"paths": [{"path": "/srv/ugapp/data.txt", "access": "rw"}]}, "restart": false}'
  t0=$EPOCHREALTIME
  read -r code total < <(curl -sS --max-time 60 -o "$STATE/apply.out" -w '%{http_code} %{time_total}\n' \
    --unix-socket "$SOCKET" -X PUT -H 'Content-Type: application/json' -d "$body" \
    http://localhost/v1/units/ugapp.service/hardening)
  t1=$EPOCHREALTIME
  if [[ $code == 200 ]] && grep -q '"outcome" *: *"applied"' "$STATE/apply.out"; then
    sample apply unitguard "$(ms "$t0" "$t1")"
    sample apply.agent unitguard "$(ms 0 "$total")"
  else
    warn "apply answered $code: $(head -c 300 "$STATE/apply.out")"
  fi
}

apply_anchor() {
  local n=$1 t0 t1
  printf '[Service]\nEnvironment=UGBENCH_ANCHOR=%s\n' "$n" > "$STATE/60-anchor.conf"
  t0=$EPOCHREALTIME
  cp "$STATE/60-anchor.conf" /etc/systemd/system/ugapp.service.d/60-anchor.conf && systemctl daemon-reload
  t1=$EPOCHREALTIME
  sample apply cp+daemon-reload "$(ms "$t0" "$t1")"
}

scrape() {  # URL -> time_total in ms, or nothing when the scrape failed
  curl -sS --max-time 30 -o /dev/null -w '%{http_code} %{time_total}' "$1" \
    | awk '$1 == 200 { printf "%.2f", $2 * 1000 }'
}

metrics_round() {
  local k=$1 i a b
  for ((i = 0; i < k; i++)); do
    a=$(scrape "$AGENT/metrics"); b=$(scrape "$NODE/metrics")
    [[ -n $a ]] && sample metrics unitguard "$a"
    [[ -n $b ]] && sample metrics node_exporter "$b"
  done
}

# What each client costs itself: curl's start and exit (the wall time of a GET /health/live less its time_total,
# which runs from connect to the last byte) and systemd-run's start and exit (--version: no bus connection)
clients_row() {
  local t0 t1 total
  t0=$EPOCHREALTIME
  total=$(curl -sS --max-time 10 -o /dev/null -w '%{time_total}' --unix-socket "$SOCKET" http://localhost/health/live)
  t1=$EPOCHREALTIME
  sample client.start curl "$(awk -v a="$t0" -v b="$t1" -v c="$total" 'BEGIN { printf "%.1f", (b - a - c) * 1000 }')"
  t0=$EPOCHREALTIME; systemd-run --version > /dev/null; t1=$EPOCHREALTIME
  sample client.start systemd-run "$(ms "$t0" "$t1")"
}

# rounds ROUNDS SCRAPES [STEPS]: probe, apply and /metrics (STEPS, comma-separated: default all three), each beside
# its anchor, interleaved
rounds() {
  local rounds=$1 scrapes=$2 steps=,${3:-probe,apply,metrics}, r
  mkdir -p /etc/systemd/system/ugapp.service.d
  for ((r = 1; r <= rounds; r++)); do
    [[ $steps != *,probe,* && $steps != *,apply,* ]] || clients_row
    if ((r % 2)); then
      [[ $steps != *,probe,* ]] || { probe_row; probe_anchor; }
      [[ $steps != *,apply,* ]] || { apply_row "$r"; apply_anchor "$r"; }
    else
      [[ $steps != *,probe,* ]] || { probe_anchor; probe_row; }
      [[ $steps != *,apply,* ]] || { apply_anchor "$r"; apply_row "$r"; }
    fi
    [[ $steps != *,metrics,* ]] || metrics_round "$scrapes"
  done
}

# requests N: N requests to the agent over keep-alive connections, half GET /v1/units (socket), half GET /metrics
requests() {
  local n=$1 half i
  half=$((n / 2))
  : > "$STATE/units.curl"; : > "$STATE/metrics.curl"
  for ((i = 0; i < half; i++)); do
    printf 'url = "http://localhost/v1/units"\noutput = "/dev/null"\n' >> "$STATE/units.curl"
  done
  for ((i = 0; i < n - half; i++)); do
    printf 'url = "%s/metrics"\noutput = "/dev/null"\n' "$AGENT" >> "$STATE/metrics.curl"
  done
  curl -sS --max-time 600 --unix-socket "$SOCKET" -K "$STATE/units.curl" -w '%{http_code}\n' > "$STATE/units.codes"
  curl -sS --max-time 600 -K "$STATE/metrics.curl" -w '%{http_code}\n' > "$STATE/metrics.codes"
  echo "info requests-ok $(cat "$STATE/units.codes" "$STATE/metrics.codes" | grep -c '^200$') of $n"
}

# rss ROW: the agent's resident memory now (VmRSS of its main process, from /proc)
rss() { sample "$1" unitguard "$(rss_mb "$(agent_pid)")"; }
node_rss() { sample "$1" node_exporter "$(rss_mb "$(node_pid)")"; }

# the agent's first reading is over when /health/ready no longer has a "units" check (ScaleAgentIT)
await_read() {
  local deadline=$((SECONDS + 300))
  while curl -sS --max-time 10 --unix-socket "$SOCKET" http://localhost/health/ready | grep -q '"units"'; do
    ((SECONDS < deadline)) || { warn "first reading not over after 300 s"; return 1; }
    sleep 0.1
  done
}

# scale N: exactly N loaded units ugscale-K.service, oneshot with RemainAfterExit=yes (active, as ScaleAgentIT's
# transient ones), generated as unit files under /run/systemd/system and started in a few systemctl calls: a
# systemd-run per unit costs minutes at 2000
scale() {
  local want=$1 have k
  have=$(systemctl list-units --all --plain --no-legend 'ugscale-*' | wc -l)
  if ((have < want)); then
    mkdir -p /run/systemd/system
    for ((k = have + 1; k <= want; k++)); do
      printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n' > "/run/systemd/system/ugscale-$k.service"
    done
    systemctl daemon-reload
    # a unit that fails to start (a busy machine: fork refused) stays loaded, as failed: counted, not fatal
    seq $((have + 1)) "$want" | sed 's/.*/ugscale-&.service/' | xargs -r -n 500 systemctl start 2> /dev/null || true
  elif ((have > want)); then
    seq $((want + 1)) "$have" | sed 's/.*/ugscale-&.service/' | xargs -r -n 500 systemctl stop
  fi
  echo "info units $want generated, $(service_units) service units loaded"
  local failed
  failed=$(systemctl list-units --all --state=failed --plain --no-legend 'ugscale-*' | wc -l)
  ((failed == 0)) || echo "info scale-failed.$want $failed of the $want generated units failed to start"
}

# ready ROUNDS N: restart the agent ROUNDS times; READY=1 as systemd saw it (ActiveEnter - ExecMainStart,
# monotonic), and the resident memory once the first reading is over
ready() {
  local rounds=$1 n=$2 r enter start
  for ((r = 1; r <= rounds; r++)); do
    if ! systemctl restart unitguard.service 2> /dev/null; then
      # noted, not timed; Restart=on-failure brings it back, and the next round restarts it anyway
      echo "info ready-failure.$n.$r round $r: Result=$(systemctl show -P Result unitguard.service)," \
        "ExecMainStatus=$(systemctl show -P ExecMainStatus unitguard.service); journal:" \
        "$(journalctl -u unitguard.service -n 4 -o cat --no-pager | tr '\n' ' ' | cut -c1-400)"
      continue
    fi
    enter=$(systemctl show -P ActiveEnterTimestampMonotonic unitguard.service)
    start=$(systemctl show -P ExecMainStartTimestampMonotonic unitguard.service)
    sample "ready.$n" unitguard "$(awk -v a="$start" -v b="$enter" 'BEGIN { printf "%.1f", (b - a) / 1000 }')"
    await_read
    sample "rss.ready.$n" unitguard "$(rss_mb "$(agent_pid)")"
  done
  echo "info ready.$n $n generated, $(service_units) service units loaded"
}

# concurrent CONCURRENCY: bench's ScrapeLoad load generator (the one scrape-load.sh runs) against the real agent. It
# opens one connection per concurrent scrape; the shipped limits.maxConnections (256 per listener) closes the rest at
# once, so for this row only the agent runs with limits.maxConnections raised above CONCURRENCY (then the shipped
# agent.json is put back and the agent restarted).
concurrent() {
  local c=$1 code=0
  cp /etc/unitguard/agent.json "$STATE/agent.json.shipped"
  python3 - "$c" <<'PY'
import json, sys
path = "/etc/unitguard/agent.json"
config = json.load(open(path))
config.setdefault("limits", {})["maxConnections"] = int(sys.argv[1]) + 100
json.dump(config, open(path, "w"), indent=2)
PY
  echo "info concurrent-limits limits.maxConnections $((c + 100)) for this row (shipped: 256)"
  systemctl restart unitguard.service
  await_read
  ulimit -n 8192 || true
  # ScrapeLoad does not exit when a burst fails (Vert.x threads): bounded here
  timeout -k 5 150 java -cp /opt/unitguard-bench/target/benchmarks.jar dev.unitguard.bench.ScrapeLoad load 9647 "$c" \
    > "$STATE/scrapeload.out" 2>&1 || code=$?
  if ((code != 0)); then
    warn "ScrapeLoad exited $code: $(grep -m1 -E 'Exception|Caused' "$STATE/scrapeload.out")"
    echo "info concurrent-failure ScrapeLoad stopped after $(grep -c '^burst' "$STATE/scrapeload.out") of 5 bursts" \
      "(exit $code): $(grep -m1 -E '^Caused by|Exception' "$STATE/scrapeload.out" | sed 's/.*: \([^:]*: [^:]*\)$/\1/')"
  fi
  awk '/^burst/ { for (i = 1; i < NF; i++) if ($i == "p99") print "sample metrics.concurrent unitguard", $(i + 1) }
       /^sequential/ { for (i = 1; i < NF; i++) if ($i == "p50" || $i == "p99") print "info scrapeload-sequential-" $i, $(i + 1), "ms" }' \
    "$STATE/scrapeload.out"
  cp "$STATE/agent.json.shipped" /etc/unitguard/agent.json
  systemctl restart unitguard.service
}

"$@"
