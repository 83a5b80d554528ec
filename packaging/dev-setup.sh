#!/usr/bin/env bash
# Installs what building and testing unitguard needs on a fresh Debian 12 or 13 machine (run as root).
# Idempotent: packages already present are not touched, and apt is not called at all when nothing is missing.
# prometheus provides promtool, which the tests run on a real scrape and on the alert rules; debootstrap builds
# the systemd 257 and 262 lab roots; lintian checks the built .deb (packaging/LintianIT); strace is the tracer of
# learn --mode trace (TraceLearnIT, HardeningPipelineIT).
set -euo pipefail

needed=(maven systemd systemd-container acl debootstrap prometheus lintian strace)
missing=()
for pkg in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# A JDK 17 or newer: Debian 12's default is 17, Debian 13's is 21 (13 has no openjdk-17).
javac_major=$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p' || true)
if [[ -z "$javac_major" || "$javac_major" -lt 17 ]]; then
  missing=(default-jdk-headless "${missing[@]}")
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "dev-setup: missing packages ${missing[*]}; run this script as root to install them" >&2
    exit 1
  fi
  echo "dev-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The prometheus package also enables and starts a Prometheus server; only promtool is wanted here.
  if [[ " ${missing[*]} " == *" prometheus "* && -d /run/systemd/system ]]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi
