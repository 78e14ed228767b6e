#!/usr/bin/env bash
# The test command: installs prerequisites, builds in Release, runs every .NET test project and the
# Python tests, and ends with one line "N passed, N failed, N skipped". Exits non-zero when anything
# failed or nothing ran.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
START=$(date +%s)
ARTIFACTS="$ROOT/artifacts/test"
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0 failed=0 skipped=0
finish() {
  echo "test.sh: finished in $(( $(date +%s) - START )) s (logs in artifacts/test)"
  echo "$passed passed, $failed failed, $skipped skipped"
  if [ "$failed" -gt 0 ] || [ $((passed + failed)) -eq 0 ]; then exit 1; fi
  exit 0
}

step() { echo "== $* ($(( $(date +%s) - START )) s)"; }

step "prerequisites"
if ! ./scripts/install-prereqs.sh > "$ARTIFACTS/prereqs.log" 2>&1; then
  tail -n 30 "$ARTIFACTS/prereqs.log"
  echo "test.sh: installing prerequisites failed"
  failed=$((failed + 1)); finish
fi

step "build (Release)"
if ! dotnet build search.sln -c Release -nologo -clp:ErrorsOnly > "$ARTIFACTS/build.log" 2>&1; then
  grep -E "error|Error" "$ARTIFACTS/build.log" | sort -u | head -n 40
  echo "test.sh: build failed"
  failed=$((failed + 1)); finish
fi

step ".NET tests"
mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  log="$ARTIFACTS/$name.log"
  # A hung test is dumped and killed rather than stalling CI.
  dotnet test "$project" -c Release --no-build -nologo --blame-hang-timeout 5m \
    --results-directory "$ARTIFACTS/$name" > "$log" 2>&1
  summary=$(grep -E "^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+" "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    # No summary means the test host crashed or nothing was discovered: that is a failure.
    echo "   $name: no test summary (see $log)"; tail -n 20 "$log"
    failed=$((failed + 1)); continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  echo "   $name: $p passed, $f failed, $s skipped"
  if [ "$f" -gt 0 ]; then grep -E "^\s+Failed |Error Message" -A 3 "$log" | head -n 60; fi
done

step "Python tests"
junit="$ARTIFACTS/pytest.xml"
(cd src/Training && /usr/bin/python3 -m pytest tests -q -p no:cacheprovider --junitxml="$junit") > "$ARTIFACTS/pytest.log" 2>&1
if [ -f "$junit" ]; then
  read -r t f e s < <(/usr/bin/python3 - "$junit" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
total = lambda key: sum(int(s.get(key, 0)) for s in suites)
print(total("tests"), total("failures"), total("errors"), total("skipped"))
PY
)
  pf=$((f + e)); pp=$((t - pf - s))
  passed=$((passed + pp)); failed=$((failed + pf)); skipped=$((skipped + s))
  echo "   pytest: $pp passed, $pf failed, $s skipped"
  if [ "$pf" -gt 0 ]; then tail -n 40 "$ARTIFACTS/pytest.log"; fi
else
  echo "   pytest: no report (see artifacts/test/pytest.log)"; tail -n 20 "$ARTIFACTS/pytest.log"
  failed=$((failed + 1))
fi

finish
