#!/usr/bin/env bash
# Runs every test of RulesMfa and prints "N passed, N failed" as its last line.
# It installs what the tests need where it is missing; today that is only the .NET 10 SDK, which it cannot install.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is missing: install it (Debian: the dotnet-sdk-10.0 package from packages.microsoft.com) and run again."
  echo "0 passed, 1 failed"
  exit 2
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet test RulesMfa.sln --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: 'dotnet test' failed (exit $status) before any test failed: see the build output above."
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
