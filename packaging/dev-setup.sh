#!/usr/bin/env bash
# Installs what building and testing unitguard needs on a fresh Debian 12 machine (run as root).
# Idempotent: packages already present are not touched, and apt is not called at all when nothing is missing.
set -euo pipefail

needed=(openjdk-17-jdk-headless maven systemd systemd-container acl debootstrap)
missing=()
for pkg in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "dev-setup: missing packages ${missing[*]}; run this script as root to install them" >&2
    exit 1
  fi
  echo "dev-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
