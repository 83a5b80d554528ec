#!/usr/bin/env bash
# GET /metrics under load, before (inline: rendered on the event loop per scrape) and after (cached: MetricsRoute),
# each served by its own JVM with the shipped unit's heap flags, the load from another JVM (see ScrapeLoad).
# The load asks as Prometheus does (Accept-Encoding: gzip); ENCODINGS="plain gzip" measures the cached route both
# ways (plain: no Accept-Encoding, the whole text per scrape).
#   UNITS=202 CONCURRENCY=1000 bench/scrape-load.sh   (after: mvn -B -o -Pbench -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS=${UNITS:-202}
CONCURRENCY=${CONCURRENCY:-1000}
PORT=${PORT:-19647}
MODES=${MODES:-inline cached}
ENCODINGS=${ENCODINGS:-gzip}
JAR=${JAR:-bench/target/benchmarks.jar}
FLAGS=(-XX:+UseSerialGC -Xss256k -XX:MaxRAM=256m -Xmx192m)
ulimit -n 8192 || true
for mode in $MODES; do
  for encoding in $ENCODINGS; do
    java "${FLAGS[@]}" -cp "$JAR" dev.unitguard.bench.ScrapeLoad serve "$mode" "$UNITS" "$PORT" &
    server=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/metrics"; do sleep 0.2; done
    echo "== $mode, $encoding, $UNITS units, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    java -cp "$JAR" dev.unitguard.bench.ScrapeLoad load "$PORT" "$CONCURRENCY" "$encoding" || true
    kill "$server"
    wait "$server" 2>/dev/null || true
  done
done
