#!/usr/bin/env bash
# Runs every test (the .NET projects, then the dashboard's unit tests) and ends with one plain
# "N passed, N failed, N skipped" line.
set -uo pipefail
cd "$(dirname "$0")/.."
results=.artifacts/test-results
rm -rf "$results"
dotnet build Catty.slnx -c Release -warnaserror || exit 1
status=0
run_tests() { # project, then extra arguments
  local project=$1; shift
  dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$(basename "$project" .csproj).trx" --results-directory "$results" "$@"
}
pids=()
for project in tests/*/*.Tests.csproj; do
  [ "$project" = tests/Catty.Web.Tests/Catty.Web.Tests.csproj ] && continue
  run_tests "$project" "$@" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
# The browser tests run alone: Chromium and their servers beside the other projects would starve those
# projects' real-time deadlines on a two-core machine.
run_tests tests/Catty.Web.Tests/Catty.Web.Tests.csproj "$@" || status=1
passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line"); passed=$((passed + ${p:-0}))
  x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line"); failed=$((failed + ${x:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$line"); skipped=$((skipped + ${s:-0}))
done
# The dashboard's unit tests (Vitest); npm ci ran during the build above.
(cd web && npx vitest run --reporter=default --reporter=json --outputFile="../$results/web-unit.json")
web_status=$?
if [ -f "$results/web-unit.json" ]; then
  read -r p x s < <(node -e 'const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests)' "$PWD/$results/web-unit.json")
  passed=$((passed + p)); failed=$((failed + x)); skipped=$((skipped + s))
else
  failed=$((failed + 1))
fi
if [ "$web_status" -ne 0 ]; then status=$web_status; fi
if [ "$failed" -ne 0 ]; then node scripts/failures.mjs "$results"/*.trx "$results"/web-unit.json 2>/dev/null; fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then exit 1; fi
exit $status
