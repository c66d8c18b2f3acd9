#!/usr/bin/env bash
# Builds and runs catty-server with its embedded defaults (SQLite, folder storage, local runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec dotnet run --project src/Catty.Server -c Release -- "$@"
