#!/usr/bin/env bash
# Installs what the tests and the local runtime need on a Debian machine; a no-op when present.
# With --runtime, only what running the server needs (make dev): no test tools, browsers or agent packages.
set -euo pipefail
runtime_only=false
[ "${1:-}" = --runtime ] && runtime_only=true
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v tmux >/dev/null || need+=(tmux)
command -v git >/dev/null || need+=(git)
command -v setsid >/dev/null || need+=(util-linux)
# An isolated session network: pasta (package passt) links the namespace out, nft fences it, ip builds the
# test's stand-in internet.
command -v pasta >/dev/null || need+=(passt)
command -v nft >/dev/null || need+=(nftables)
command -v ip >/dev/null || need+=(iproute2)
command -v nsenter >/dev/null || need+=(util-linux)
# setpriv starts each session's agent as its own uid when the server is root.
command -v setpriv >/dev/null || need+=(util-linux)
command -v npm >/dev/null || need+=(nodejs npm)
# The Native AOT build of catty-agent links with gcc.
command -v gcc >/dev/null || need+=(gcc)
[ -f /usr/lib/x86_64-linux-gnu/crt1.o ] || [ -f /usr/lib/aarch64-linux-gnu/crt1.o ] || need+=(libc6-dev)
if [ "$runtime_only" = true ]; then
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "Installing ${need[*]} (Debian packages the server needs)..."
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  exit 0
fi
# What the sandbox tests run inside a session (a C compiler and the kernel's headers, vi, top, a Python venv).
[ -f /usr/include/x86_64-linux-gnu/asm/unistd_64.h ] || [ -f /usr/include/aarch64-linux-gnu/asm/unistd.h ] || need+=(libc6-dev linux-libc-dev)
[ -x /usr/bin/vim.basic ] || [ -x /usr/bin/vim ] || need+=(vim)
command -v top >/dev/null || need+=(procps)
/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
# Debian's Chromium: the browser tests drive it with Playwright (no browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
# PostgreSQL's server binaries: tests start a private cluster with scripts/postgres.sh (not the system service).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The user the unprivileged-server test runs catty-server as.
if [ "$(id -u)" -eq 0 ] && ! id -u catty-unprivileged >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin catty-unprivileged
fi
(cd "$(dirname "$0")/../tests/tools/s3rver" && { [ -d node_modules ] || npm ci --silent; })
# xterm.js headless: the reference emulator the screen-model tests compare against.
(cd "$(dirname "$0")/../tests/tools/xterm" && { [ -d node_modules ] || npm ci --silent; })
# The real coding agents (Claude Code, Codex) the session tests run, pinned by the lock file. Reinstalled
# when the lock changes: the stamp holds the lock's hash.
agents="$(dirname "$0")/../tests/tools/agents"
lock_hash=$(sha256sum "$agents/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$agents/node_modules/.catty-lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  (cd "$agents" && npm ci --silent --no-audit --no-fund && echo "$lock_hash" > node_modules/.catty-lock-hash)
fi
