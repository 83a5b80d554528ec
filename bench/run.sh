#!/usr/bin/env bash
# Every row of issue 11's table beside its anchor, measured in one run, and docs/benchmarks.md written from it
# (bench/report.py). Root, no stdin, no manual step. Rows and anchors alternate within each round (medians, ratios):
# - the static core, warm and in-process (JMH, bench/src), beside `systemd-analyze security --offline=true` over the
#   same unit files (timed ROUNDS times before and ROUNDS times after JMH);
# - `unitguard score` on the same files and `unitguard --version`, cold, through the shipped launcher
#   (packaging/deb/unitguard: its JVM flags, and the class-data sharing archive its postinst builds, built here the
#   same way), beside one `systemd-analyze security --offline=true` call;
# - the lab rows (bench/lab.sh: probe, apply, /metrics, 1000 concurrent scrapes, RSS, start to READY=1), LAB=0 skips.
# Every sample is one line of bench/target/samples.txt; the load average is noted at the start and at the end.
#   DIR=/lib/systemd/system ROUNDS=5 LAB=1 JMH=1 BUILD=1 bench/run.sh
#   (lab counts: SCRAPES, METRICS_UNITS, READY_UNITS="50 500 2000", READY_ROUNDS, REQUESTS, CONCURRENCY; bench/lab.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${DIR:-/lib/systemd/system}
ROUNDS=${ROUNDS:-5}
LAB=${LAB:-1}
JMH=${JMH:-1}
BUILD=${BUILD:-1}
export ROUNDS
OUT=bench/target
SAMPLES=$OUT/samples.txt
started=$EPOCHSECONDS
log() { echo "run: $(date -u +%T) $*" >&2; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }

if [[ $BUILD == 1 ]]; then
  log "build (mvn -Pbench package)"
  mvn -B -q -o -Pbench -DskipTests package < /dev/null
fi
mkdir -p "$OUT/cli"

# The same set the benchmark loads: non-template service files that are neither masked nor empty.
files=()
for f in "$DIR"/*.service; do
  name=$(basename "$f")
  [[ $name == *@* ]] && continue
  [[ -s $f ]] || continue
  [[ $(readlink -f "$f") == /dev/null ]] && continue
  files+=("$f")
done

{
  echo "info load-start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "info cores $(nproc)"
  echo "info rounds $ROUNDS"
  echo "info unit-dir $DIR"
  echo "info unit-files ${#files[@]}"
  echo "info java $(java -version 2>&1 | head -1)"
  echo "info systemd-analyze $(systemd-analyze --version | head -1)"
} > "$SAMPLES"

analyze() {  # ROW: one systemd-analyze security --offline=true call over the files, timed
  local t0 t1
  t0=$EPOCHREALTIME
  systemd-analyze security --offline=true --no-pager "${files[@]}" > /dev/null 2>&1 || true
  t1=$EPOCHREALTIME
  echo "sample $1 systemd-analyze $(ms "$t0" "$t1")"
}

# --- the static core (JMH) ---
if [[ $JMH == 1 ]]; then
  log "JMH static core, with systemd-analyze $ROUNDS times before and after"
  for _ in $(seq "$ROUNDS"); do analyze score.warm; done >> "$SAMPLES"
  # forks, iterations and the forks' JVM flags are the benchmark's own (@Fork, @Warmup, @Measurement)
  java -jar "$OUT/benchmarks.jar" -p dir="$DIR" -prof dev.unitguard.bench.CpuTimeProfiler \
    -rf json -rff "$OUT/jmh.json" StaticCoreBenchmark > "$OUT/jmh.log"
  for _ in $(seq "$ROUNDS"); do analyze score.warm; done >> "$SAMPLES"
else
  rm -f "$OUT/jmh.json"
fi

# --- the command line, cold: the shipped launcher with the jar and archive paths of this build ---
JAR=$PWD/agent/target/unitguard.jar
CDS=$PWD/$OUT/cli/unitguard.jsa
sed -e "s|/usr/share/unitguard/unitguard.jar|$JAR|" -e "s|/var/cache/unitguard/unitguard.jsa|$CDS|" \
  packaging/deb/unitguard > "$OUT/cli/unitguard"
chmod 755 "$OUT/cli/unitguard"
grep -q -- "-jar $JAR" "$OUT/cli/unitguard" || { log "packaging/deb/unitguard: no -jar line to point at the build"; exit 1; }
# the archive as packaging/deb/control/postinst builds it (the same flags and the same commands: a static archive of
# the classes one `score` of the host's service files loads)
rm -f "$CDS"
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:DumpLoadedClassList="$CDS.classlist" \
  -jar "$JAR" score /usr/lib/systemd/system/*.service > /dev/null 2>&1 || true
java -Xshare:dump -XX:SharedClassListFile="$CDS.classlist" -XX:SharedArchiveFile="$CDS" -XX:+UseSerialGC \
  -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$JAR" > /dev/null 2>&1 || rm -f "$CDS"
rm -f "$CDS.classlist"
echo "info cds-archive $([[ -s $CDS ]] && echo "static, $(($(stat -c %s "$CDS") / 1024 / 1024)) MB" || echo none)" >> "$SAMPLES"
# whether the launcher's archive serves: where the classes of `score` (the files above) and of `--version` came from
# (a static archive holds the JDK's classes too; "(top)" would be a dynamic archive over the JDK's own)
classes_from() {
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:SharedArchiveFile="$CDS" -Xshare:auto \
    -Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:class+load=info -jar "$JAR" "$@" 2> /dev/null | grep -o 'source: [a-z].*' \
    | sed 's/source: file:.*/the jar/; s/source: shared objects file (top)/the dynamic archive/; s/source: shared objects file/the archive/; s/source: jrt:.*/the JDK modules/' \
    | grep -E '^(the jar|the archive|the dynamic archive|the JDK modules)$' | sort | uniq -c \
    | awk '{ c = $1; $1 = ""; printf "%s%d from%s", s, c, $0; s = ", " }'
}
echo "info cds-used classes of score: $(classes_from score "${files[@]}"); of --version: $(classes_from --version)" >> "$SAMPLES"
scored=$("$OUT/cli/unitguard" score "${files[@]}" 2> /dev/null | grep -c '\.service ' || true)
echo "info cli-scored $scored of ${#files[@]}" >> "$SAMPLES"

cli_score() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$OUT/cli/unitguard" score "${files[@]}" > /dev/null 2>&1 || true
  t1=$EPOCHREALTIME
  echo "sample cli.score unitguard $(ms "$t0" "$t1")"
}
cli_version() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$OUT/cli/unitguard" --version > /dev/null 2>&1
  t1=$EPOCHREALTIME
  echo "sample cli.version unitguard $(ms "$t0" "$t1")"
}
log "cold command line: $ROUNDS rounds"
for r in $(seq "$ROUNDS"); do
  if ((r % 2)); then cli_score; analyze cli.score; cli_version; else analyze cli.score; cli_version; cli_score; fi
done >> "$SAMPLES"

# --- the lab ---
if [[ $LAB == 1 ]]; then
  log "lab rows (bench/lab.sh)"
  bench/lab.sh >> "$SAMPLES" || { log "bench/lab.sh failed: its rows show as not measured"; echo "info lab-failed yes" >> "$SAMPLES"; }
fi

echo "info load-end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$SAMPLES"
echo "info duration-seconds $((EPOCHSECONDS - started))" >> "$SAMPLES"
python3 bench/report.py "$SAMPLES" "$OUT/jmh.json" > docs/benchmarks.md
log "wrote docs/benchmarks.md ($((EPOCHSECONDS - started)) s)"
