#!/usr/bin/env bash
# Scrape latency of unitguard's /metrics against node_exporter's systemd collector (which queries D-Bus on every
# scrape), both inside one lab container (a real systemd 252, see shared/systemd-lab.md), same client, same units.
# A benchmark, not a test: run it by hand as root after `mvn -q -DskipTests package`. Prints p50/p90 of N scrapes.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-300}
[[ -f agent/target/unitguard.jar ]] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
command -v systemd-nspawn >/dev/null || apt-get install -y -qq systemd-container
command -v prometheus-node-exporter >/dev/null || apt-get install -y -qq --no-install-recommends prometheus-node-exporter

work=$(mktemp -d)
mkdir -p "$work/presets" && echo 'disable *' > "$work/presets/99-lab.preset"
systemd-nspawn -D / --volatile=yes --private-network --register=no --keep-unit -M "ugbench-$$" \
  --bind-ro=/etc/java-17-openjdk --bind-ro=/etc/alternatives --bind-ro="$work/presets:/etc/systemd/system-preset" \
  --bind-ro="$PWD/agent/target:/opt/unitguard" -b -- systemd.firstboot=off </dev/null >"$work/lab.log" 2>&1 &
nspawn=$!
trap 'kill $nspawn 2>/dev/null; wait $nspawn 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do pid=$(pgrep -P $nspawn | head -1 || true); [[ -n $pid ]] && break; sleep 0.2; done
in_lab() { nsenter -t "$pid" -a "$@"; }
for _ in $(seq 1 60); do
  state=$(in_lab systemctl is-system-running 2>/dev/null || true)
  [[ $state == running || $state == degraded ]] && break; sleep 0.5
done
in_lab sh -c 'nohup java -XX:+UseSerialGC -jar /opt/unitguard/unitguard.jar agent >/tmp/agent.log 2>&1 &'
in_lab sh -c 'nohup prometheus-node-exporter --collector.disable-defaults --collector.systemd \
  --web.listen-address=127.0.0.1:9100 >/tmp/ne.log 2>&1 &'
for _ in $(seq 1 60); do in_lab curl -fs -o /dev/null http://127.0.0.1:9647/metrics && break; sleep 0.5; done

measure() { # name url
  in_lab sh -c "for i in \$(seq 1 50); do curl -s -o /dev/null $2; done"   # warm-up
  in_lab sh -c "for i in \$(seq 1 $N); do curl -s -o /dev/null -w '%{time_total}\n' $2; done" | sort -n |
    awk -v name="$1" '{a[NR]=$1} END {printf "%-28s n=%d p50=%.1f ms p90=%.1f ms\n", name, NR, a[int(NR*0.5)]*1000, a[int(NR*0.9)]*1000}'
}
echo "service units in the lab: $(in_lab systemctl list-units --type=service --no-legend | wc -l)"
measure "unitguard /metrics" http://127.0.0.1:9647/metrics
measure "node_exporter (systemd)" http://127.0.0.1:9100/metrics
measure "curl baseline /health/live" http://127.0.0.1:9647/health/live
