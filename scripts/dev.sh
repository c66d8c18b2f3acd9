#!/usr/bin/env bash
# Builds and runs catty-server with its embedded defaults (SQLite, folder storage, local runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --runtime
# The build shows its progress (the first one restores packages and builds the dashboard and the agent).
dotnet build src/Catty.Server -c Release -nologo -v minimal
exec dotnet run --project src/Catty.Server -c Release --no-build -- "$@"
