#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed".
# Exit code 0 only when every test passed and every test assembly ran to its end.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# A test that hangs is stopped after 3 minutes and reported by name (with a dump) instead of stalling the run.
dotnet test IdpBridge.sln --nologo --blame-hang-timeout 3m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    12, Skipped: ..."
read -r passed failed < <(awk '
  /(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { gsub(",", "", $(i+1)); f += $(i+1) }
      if ($i == "Passed:") { gsub(",", "", $(i+1)); p += $(i+1) }
    }
  }
  END { print p + 0, f + 0 }' "$log")

# A build error or a crashed test host leaves no summary for its assembly: count it as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
