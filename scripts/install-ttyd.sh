#!/usr/bin/env bash
# Installs ttyd, the web terminal the benchmark compares against; a no-op when it is on PATH.
# Where the distribution packages ttyd it comes from there. Debian has it only in unstable, built for a
# newer C library than a stable release has, so elsewhere its source package (upstream 1.7.7, the same code)
# is fetched with apt, which checks its hash, and built here against this release's libwebsockets and libuv.
set -euo pipefail
command -v ttyd >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if apt-cache policy ttyd 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  $SUDO apt-get install -y -qq ttyd >/dev/null
  exit 0
fi

$SUDO apt-get install -y -qq cmake gcc make libwebsockets-dev libjson-c-dev libuv1-dev zlib1g-dev libssl-dev >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt fetches as its own user
# The Debian archive this machine already uses, for a source entry of unstable kept out of the system's lists.
mirror=$({ grep -rhoE '(URIs:|deb)[[:space:]]+[a-z]+://[^[:space:]]+/debian/?([[:space:]]|$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } \
  | awk '{print $2}' | head -n1)
[ -n "$mirror" ] || { echo "install-ttyd: no Debian archive in the apt sources" >&2; exit 1; }
echo "deb-src $mirror unstable main" >"$work/sources.list"
mkdir -p "$work/lists/partial"
apt_private=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$work/lists")
apt-get "${apt_private[@]}" update -qq
# Only the upstream tarball is needed; a mirror may lack the Debian packaging files, so their absence is not an error.
(cd "$work" && apt-get "${apt_private[@]}" source --download-only -qq ttyd >/dev/null 2>&1) || true
tarball=$(ls "$work"/ttyd_*.orig.tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "install-ttyd: the ttyd source package could not be fetched" >&2; exit 1; }
mkdir "$work/src"
tar -xf "$tarball" -C "$work/src" --strip-components=1
if ! { cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release && cmake --build "$work/build" -j "$(nproc)"; } >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  exit 1
fi
$SUDO install -m 0755 "$work/build/ttyd" /usr/local/bin/ttyd
ttyd --version
