#!/usr/bin/env bash
# Builds, once per machine, a Debian root file system for the systemd lab: BASE/SUITE (BASE defaults to
# /var/lib/unitguard-lab). bookworm gives systemd 252 (needed only where the host is not Debian 12), trixie 257,
# sid the newest (262 on 2026-11-29). Run as root.
#
# Safe against concurrent builders: one flock per suite; the root is made in a temporary directory beside the
# destination and renamed into place, so BASE/SUITE either does not exist or is complete. An existing root is reused.
# The mirror is the one this machine's apt is configured with: no host name lives in the repository.
set -euo pipefail

suite=${1:?usage: lab-root.sh bookworm|trixie|sid [BASE]}
base=${2:-/var/lib/unitguard-lab}
case $suite in
  bookworm | trixie | sid) ;;
  *) echo "lab-root: unknown suite '$suite' (known: bookworm, trixie, sid)" >&2; exit 2 ;;
esac
# What the lab's tests need inside: systemd and its bus. Clients (the agent, busctl-like tests) run on the host
# against the container's bus and /proc/PID/root, so no JRE is installed (a smaller root, built in a third of the time).
packages=systemd,dbus,systemd-sysv

dest=$base/$suite
[[ -d $dest ]] && exit 0
mkdir -p "$base"
exec 9>"$base/.$suite.lock"
flock 9
[[ -d $dest ]] && exit 0
rm -rf "$base/.$suite.tmp."*   # left by a builder that died: this one holds the lock now

mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -r $f ]] || continue
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f")
  [[ -n $mirror ]] && break
done
if [[ -z $mirror && -r /etc/apt/sources.list ]]; then
  mirror=$(awk '$1 == "deb" && $2 !~ /security/ {print ($2 ~ /^\[/ ? $3 : $2); exit}' /etc/apt/sources.list)
fi
if [[ -z $mirror ]]; then
  echo "lab-root: no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "lab-root: debootstrap is missing (packaging/dev-setup.sh installs it)" >&2; exit 1; }

tmp=$(mktemp -d "$base/.$suite.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
debootstrap --variant=minbase --include="$packages" "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1 || {
  echo "lab-root: debootstrap $suite from $mirror failed; the end of its log:" >&2
  tail -n 20 "$tmp.log" >&2
  rm -f "$tmp.log"
  exit 1
}
rm -f "$tmp.log"
rm -rf "$tmp/var/cache/apt/archives/"*.deb "$tmp/var/lib/apt/lists/"*_Packages
chmod 755 "$tmp"
mv -T "$tmp" "$dest"
