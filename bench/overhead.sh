#!/usr/bin/env bash
# The overhead of a probe and of an apply through the shipped agent in a systemd lab (issue 11, item 6), beside what
# systemd alone takes: POST /check with "probe": true against `systemd-run --wait --pipe` of the same script, and
# PUT /hardening without restart against `cp` of a drop-in and `systemctl daemon-reload`; rounds interleaved,
# medians and ratios, the load average, and the agent's D-Bus messages during one probe and one apply (busctl
# monitor). The measuring is agent/src/test/java/dev/unitguard/probe/OverheadIT.java (a lab IT; it asserts only that
# every request did what it should). Needs root (systemd-nspawn) and a built agent.
#   ROUNDS=5 BLOCKS=2 bench/overhead.sh                  this build
#   BASELINE=/path/to/unitguard.jar bench/overhead.sh    that build too, in blocks alternating with this one
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
BLOCKS=${BLOCKS:-2}
OUT=bench/target
mkdir -p "$OUT"
args=(-Doverhead.rounds="$ROUNDS" -Doverhead.blocks="$BLOCKS")
[[ -n ${BASELINE:-} ]] && args+=(-Doverhead.baseline="$(readlink -f "$BASELINE")")
mvn -B -q -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OverheadIT "${args[@]}" \
  -pl agent > "$OUT/overhead.log" 2>&1 || { tail -50 "$OUT/overhead.log" >&2; exit 1; }
sed 's/\x1b\[[0-9;]*m//g' "$OUT/overhead.log" | sed -n '/^overhead (/,$p' | grep -v '^\[' | tee "$OUT/overhead.txt"
