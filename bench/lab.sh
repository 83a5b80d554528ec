#!/usr/bin/env bash
# The lab part of the benchmarks (docs/benchmarks.md): boots one systemd 252 lab (systemd-nspawn --volatile=yes over
# the host's /usr, as /work/shared/systemd-lab.md and the ITs' Lab do), installs the agent as the package does (the
# shipped unit with its JVM flags, its agent.json, sysusers and tmpfiles; a drop-in only points ExecStart= at the jar
# built into agent/target), runs node_exporter's systemd collector beside it, and runs the rows of bench/lab-rows.sh
# with their anchors. Prints one machine-readable line per sample on stdout (see lab-rows.sh); progress on stderr.
# Always powers the lab off (trap). Root, no stdin. Needs agent/target/unitguard.jar and bench/target/benchmarks.jar.
#   ROUNDS=5 SCRAPES=30 METRICS_UNITS=200 READY_UNITS="50 500 2000" READY_ROUNDS=3 REQUESTS=1000 CONCURRENCY=1000 \
#     bench/lab.sh > samples.txt
# ROWS picks the rows to run (default all; spaces or commas between them): any of rss requests probe apply metrics concurrent ready, e.g.
#   ROWS=metrics bench/lab.sh      (the sequential /metrics row and its anchor alone: ROUNDS x SCRAPES scrapes each)
#   ROWS=ready READY_UNITS=50 bench/lab.sh
# NMT=1 runs the agent with -XX:NativeMemoryTracking=summary (a few MB more) and, after the requests of the rss row,
# stops it and writes the summary the JVM prints as it exits to bench/target/lab/nmt.txt (bench/profile.sh).
# HOLD=1 keeps the lab up after the rows until $WORK/hold (printed on stderr) is removed, for profiling by hand
# (nsenter -t PID -a ...); the agent stays as the last row left it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
SCRAPES=${SCRAPES:-30}
METRICS_UNITS=${METRICS_UNITS:-200}
READY_UNITS=${READY_UNITS:-50 500 2000}
READY_ROUNDS=${READY_ROUNDS:-3}
REQUESTS=${REQUESTS:-1000}
CONCURRENCY=${CONCURRENCY:-1000}
ALL_ROWS="rss requests probe apply metrics concurrent ready"
ROWS=" $(echo "${ROWS:-$ALL_ROWS}" | tr ',' ' ') "  # spaces or commas
for row in $ROWS; do
  [[ " $ALL_ROWS " == *" $row "* ]] || { echo "lab.sh: unknown row '$row' (rows: $ALL_ROWS)" >&2; exit 2; }
done
HOLD=${HOLD:-0}
NMT=${NMT:-0}
WORK=$PWD/bench/target/lab
NAME=ugbench-$$
want() { [[ $ROWS == *" $1 "* ]]; }

log() { echo "lab: $(date -u +%T) $*" >&2; }
die() { log "$*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (systemd-nspawn)"
for jar in agent/target/unitguard.jar bench/target/benchmarks.jar; do
  [[ -f $jar ]] || die "$jar missing: mvn -B -o -Pbench -DskipTests package"
done
install_pkg() {  # COMMAND PACKAGE: the Debian package when its command is missing
  command -v "$1" > /dev/null && return
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" < /dev/null > "$WORK.apt.log" 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q < /dev/null > /dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" < /dev/null \
            > "$WORK.apt.log" 2>&1; } || die "cannot install $2 (see $WORK.apt.log)"
}
mkdir -p "$WORK/presets"
install_pkg systemd-nspawn systemd-container
install_pkg prometheus-node-exporter prometheus-node-exporter

# --- the lab ---
echo 'disable *' > "$WORK/presets/99-lab.preset"
systemd-nspawn -D / --volatile=yes --private-network --register=no --keep-unit -M "$NAME" \
  --bind-ro=/etc/java-17-openjdk --bind-ro=/etc/alternatives \
  --bind-ro="$WORK/presets:/etc/systemd/system-preset" \
  --bind-ro="$PWD/agent/target:/opt/unitguard" --bind-ro="$PWD/bench:/opt/unitguard-bench" \
  -b -- systemd.firstboot=off < /dev/null > "$WORK/lab.log" 2>&1 &
NSPAWN=$!
teardown() {
  kill "$NSPAWN" 2> /dev/null || return 0
  for _ in $(seq 100); do kill -0 "$NSPAWN" 2> /dev/null || break; sleep 0.2; done
  kill -KILL "$NSPAWN" 2> /dev/null || true
  wait "$NSPAWN" 2> /dev/null || true
  log "lab powered off"
}
trap teardown EXIT
trap 'exit 130' INT TERM

PID=
for _ in $(seq 450); do
  kill -0 "$NSPAWN" 2> /dev/null || die "systemd-nspawn exited: $(tail -5 "$WORK/lab.log")"
  if [[ -z $PID ]]; then
    for child in $(pgrep -P "$NSPAWN" || true); do
      [[ $(readlink "/proc/$child/exe" 2> /dev/null) == */systemd ]] && PID=$child
    done
  elif [[ $(nsenter -t "$PID" -a systemctl is-system-running 2> /dev/null) =~ ^(running|degraded)$ ]]; then
    break
  fi
  sleep 0.2
done
[[ -n $PID ]] && [[ $(nsenter -t "$PID" -a systemctl is-system-running 2> /dev/null) =~ ^(running|degraded)$ ]] \
  || die "the lab did not boot: $(tail -5 "$WORK/lab.log")"
log "lab $NAME up (PID 1 is host pid $PID)"
in_lab() { nsenter -t "$PID" -a "$@"; }
# a step that fails is logged and noted (info failed-STEP), and the run goes on: its row shows "not measured"
rows() { in_lab bash /opt/unitguard-bench/lab-rows.sh "$@" || { log "step $* failed"; echo "info failed-$1 $*"; }; }
put() { in_lab sh -c 'mkdir -p "$(dirname "$1")" && cat > "$1"' sh "$1" < "$2"; }

# --- the agent as the package installs it ---
put /etc/sysusers.d/unitguard.conf packaging/deb/sysusers.conf
put /etc/tmpfiles.d/unitguard.conf packaging/deb/tmpfiles.conf
put /etc/unitguard/agent.json packaging/deb/agent.json
put /etc/systemd/system/unitguard.service units/unitguard.service
# the shipped ExecStart= and ExecStopPost= (continuation lines joined), the jar where the lab has it
shipped() {
  sed -e ':a' -e '/\\$/{N;s/\\\n//;ba}' units/unitguard.service | sed -n "s/^$1=//p" | head -1 | tr -s ' '
}
command=$(shipped ExecStart)
stop_post=$(shipped ExecStopPost)
[[ $command == *"dev.unitguard.agent.AgentMain"*"/usr/share/unitguard/unitguard.jar"* ]] \
  || die "unexpected ExecStart= in units/: $command"
command=${command//\/usr\/share\/unitguard\//\/opt\/unitguard\/}
stop_post=${stop_post//\/usr\/share\/unitguard\//\/opt\/unitguard\/}
printf '[Service]\nExecStart=\nExecStart=%s\nExecStopPost=\nExecStopPost=%s\n' "$command" "$stop_post" \
  > "$WORK/50-bench.conf"
[[ $NMT == 1 ]] && printf '%s\n' 'Environment="JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics"' >> "$WORK/50-bench.conf"
put /etc/systemd/system/unitguard.service.d/50-bench.conf "$WORK/50-bench.conf"
in_lab sh -c 'systemd-sysusers unitguard.conf > /dev/null && systemd-tmpfiles --create unitguard.conf && systemctl daemon-reload'

# ugapp.service: the unit the probe and the apply work on (AgentIT's)
in_lab sh -c 'useradd --system --no-create-home ugapp && mkdir -p /srv/ugapp && echo x > /srv/ugapp/data.txt \
  && chown ugapp /srv/ugapp/data.txt && chmod 600 /srv/ugapp/data.txt \
  && printf "[Service]\nUser=ugapp\nExecStart=/bin/sleep infinity\n" > /etc/systemd/system/ugapp.service \
  && systemctl daemon-reload && systemctl start ugapp.service'
# node_exporter with its systemd collector alone, the anchor of /metrics (Debian's package, run in the lab)
in_lab systemd-run --quiet --unit=ugbench-node-exporter /usr/bin/prometheus-node-exporter \
  --collector.disable-defaults --collector.systemd --web.listen-address=127.0.0.1:9100
echo "info node_exporter $(prometheus-node-exporter --version 2>&1 | head -1)"
echo "info lab-systemd $(in_lab systemctl --version | head -1)"
echo "info agent-command $command"

# --- start to READY=1 and memory, by unit count (ascending: units are only added), with the other rows at ~200 ---
counts=$(want ready && tr ' ' '\n' <<< "$READY_UNITS" | grep . | sort -n | tr '\n' ' ' || true)
base=$(in_lab systemctl list-units --all --type=service --plain --no-legend | wc -l)
metrics_generated=$((METRICS_UNITS > base ? METRICS_UNITS - base : 0))
done_rows=0
for n in $counts $((1 << 30)); do
  if ((done_rows == 0 && metrics_generated <= n)); then
    done_rows=1
    rows scale "$metrics_generated"
    echo "info metrics-units $(in_lab systemctl list-units --all --type=service --plain --no-legend | wc -l) service units"
    echo "info concurrency $CONCURRENCY"
    log "agent start, RSS, $REQUESTS requests (~$METRICS_UNITS service units)"
    in_lab systemctl restart unitguard.service
    rows await_read
    in_lab curl -sf -o /dev/null http://127.0.0.1:9100/metrics || die "node_exporter does not answer"
    if want rss; then rows rss rss.start; rows node_rss rss.start; fi
    if want requests; then rows requests "$REQUESTS"; fi
    if want rss && want requests; then rows rss rss.after; fi
    if [[ $NMT == 1 ]]; then
      # the JVM prints the summary as it exits (jcmd cannot attach: the agent's /tmp is private and read-only)
      since=$(in_lab date '+%Y-%m-%d %H:%M:%S')
      in_lab systemctl stop unitguard.service
      in_lab journalctl -u unitguard.service --since "$since" -o cat > "$WORK/nmt.txt" 2>&1 || true
      in_lab systemctl start unitguard.service
    fi
    steps=""
    for step in probe apply metrics; do want $step && steps+="$step,"; done
    if [[ -n $steps ]]; then
      log "${steps%,}: $ROUNDS rounds, $SCRAPES scrapes each"
      if want probe; then rows capture_probe; fi
      rows rounds "$ROUNDS" "$SCRAPES" "${steps%,}"
    fi
    if want rss; then rows node_rss rss.after; fi
    if want concurrent; then
      log "$CONCURRENCY concurrent scrapes"
      rows concurrent "$CONCURRENCY"
    fi
  fi
  ((n < (1 << 30))) || break
  log "start to READY=1 with $n generated units"
  rows scale "$n"
  rows ready "$READY_ROUNDS" "$n"
done
echo "info lab-load $(cut -d' ' -f1-3 /proc/loadavg)"
log "lab rows done"
if [[ $HOLD == 1 ]]; then
  touch "$WORK/hold"
  log "holding the lab (PID 1 is host pid $PID; nsenter -t $PID -a CMD) until $WORK/hold is removed"
  while [[ -e $WORK/hold ]] && kill -0 "$NSPAWN" 2> /dev/null; do sleep 1; done
fi
