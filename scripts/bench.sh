#!/usr/bin/env bash
# Builds in Release and measures the real terminal path beside ttyd; prints one JSON line of figures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-ttyd.sh >/dev/null
dotnet build src/Catty.Server -c Release -v q -nologo >/dev/null
dotnet build bench/Catty.Bench -c Release -v q -nologo >/dev/null
bench() { dotnet bench/Catty.Bench/bin/Release/net10.0/catty-bench.dll --server src/Catty.Server/bin/Release/net10.0/catty-server.dll "$@"; }
if [ $# -gt 0 ]; then bench "$@"; exit; fi
bench
# Fairness: a quiet session's echo alone and beside 20 sessions printing nonstop (docs/design/0322).
bench --fairness
