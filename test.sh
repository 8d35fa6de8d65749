#!/usr/bin/env bash
# Runs every test of RulesMfa and prints "N passed, N failed" as its last line.
# It installs what the tests need where it is missing (Chromium, Node.js, npm and PostgreSQL with apt-get when run as root,
# then the GeoIP test database with npm); the .NET 10 SDK it cannot install, and says so.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is missing: install it (Debian: the dotnet-sdk-10.0 package from packages.microsoft.com) and run again."
  echo "0 passed, 1 failed"
  exit 2
fi

# Debian's Chromium runs the browser tests (Playwright drives it; it downloads no browser of its own).
# Node.js and npm install the GeoIP test database (a public-domain IP-to-country file in MaxMind's format), the npm
# packages rules may require (engine/modules, by the engine's build), and jsonwebtoken for the differential tests'
# Node.js harness (tests/differential), which runs every rule of that corpus on Node.js too.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# PostgreSQL's server binaries (initdb, pg_ctl): the storage, concurrency and two-host tests start a throwaway cluster.
command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing ${missing[*]}: install them (Debian: sudo apt-get install ${missing[*]}) and run again."
    echo "0 passed, 1 failed"
    exit 2
  fi
fi
if [ ! -f tests/geoip/node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb ]; then
  (cd tests/geoip && npm ci --no-audit --no-fund) || { echo "test.sh: 'npm ci' in tests/geoip failed"; echo "0 passed, 1 failed"; exit 2; }
fi

if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
  (cd tests/a11y && npm ci --no-audit --no-fund) || { echo "test.sh: 'npm ci' in tests/a11y failed"; echo "0 passed, 1 failed"; exit 2; }
fi

if [ ! -f tests/differential/node_modules/jsonwebtoken/package.json ]; then
  (cd tests/differential && npm ci --no-audit --no-fund) || { echo "test.sh: 'npm ci' in tests/differential failed"; echo "0 passed, 1 failed"; exit 2; }
fi

# Auth0's own client of the MFA API (@auth0/auth0-auth-js), which the NUnit suite drives against the server.
if [ ! -f tests/mfa-api-client/node_modules/@auth0/auth0-auth-js/package.json ]; then
  (cd tests/mfa-api-client && npm ci --no-audit --no-fund) || { echo "test.sh: 'npm ci' in tests/mfa-api-client failed"; echo "0 passed, 1 failed"; exit 2; }
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# Progress as it goes: a line every 25 tests instead of one per passed test (tests/progress.awk); failures in full.
echo "test.sh: building, then running every test (a progress line every 25 tests; the browser and end-to-end tests take minutes)"
dotnet test RulesMfa.sln --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" | awk -f tests/progress.awk
status=${PIPESTATUS[0]}

passed=0
failed=0
skipped=0
inconclusive=0
counter() { sed -E "s/.* $1=\"([0-9]+)\".*/\\1/" <<<"$2"; }
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(counter passed "$counters")))
  failed=$((failed + $(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters")))
  skipped=$((skipped + $(counter notExecuted "$counters") + $(counter notRunnable "$counters")))
  inconclusive=$((inconclusive + $(counter inconclusive "$counters")))
done

# No test of this suite is ever skipped or inconclusive: one that is (a missing browser, Node.js or database, an
# Ignore or Assume) did not prove what it claims, so it counts as failed.
echo "$skipped skipped, $inconclusive inconclusive"
if [ $((skipped + inconclusive)) -gt 0 ]; then
  grep -ho '<UnitTestResult [^>]*outcome="\(NotExecuted\|Inconclusive\|NotRunnable\)"' "$results"/*.trx | sed -E 's/.*testName="([^"]*)".*outcome="([A-Za-z]+)"/test.sh: \2: \1/'
  failed=$((failed + skipped + inconclusive))
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: 'dotnet test' failed (exit $status) before any test failed: see the build output above."
  failed=1
fi

# Why the first failed tests failed, then every failed test by name, next to the summary: a log that keeps only its tail
# still says what failed and why (the server logs the tests print can push the failures far above it).
cat "$results"/*.trx 2>/dev/null | awk -f tests/failures.awk
grep -ho '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"' "$results"/*.trx 2>/dev/null \
  | sed -E 's/.*testName="([^"]*)".*outcome="([A-Za-z]+)"/test.sh: \2: \1/'

# The differential suite's summaries (Node.js against RulesMfa, Rules against their migrated Actions).
cat "$results"/*.trx 2>/dev/null | grep -oE '[0-9]+ (of [0-9]+ )?(rules|rule pipelines)( migrated)? × [0-9]+ inputs, [0-9]+ mismatches' | sort -u

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
