#!/usr/bin/env bash
# Runs the load generator against fresh RulesMfa servers, once with the 10-rule policy (rules-samples 010 to 100) and
# once with no rules, so the rules' share of each step is visible. Usage:
#   tests/RulesMfa.Load/run-setups.sh sqlite|postgresql [HOSTS] [-- generator options]
# HOSTS is 1 (default) or 2 (PostgreSQL only: two servers on one database, each pinned by taskset to its own core,
# the workers split between them). With one host the server is pinned to core 0 and the generator to core 1, so the
# server's numbers are one core's. PostgreSQL: set RULESMFA_PG to the connection string of an empty database.
# Generator options default to --duration 20 --concurrency 4 --users 400. Not niced: run it when `uptime` is low.
# POLICIES lists the cases to run, in order (default "none ten"); "floor" is a tenant without MFA or rules (--no-mfa:
# the password alone, logins and refreshes), the floor MFA's and the rules' cost is measured against.
# The servers export /metrics, from which the generator reads how long the rules ran.
set -euo pipefail
cd "$(dirname "$0")/../.."

provider=${1:?usage: run-setups.sh sqlite|postgresql [HOSTS] [-- generator options]}
shift
hosts=1
if [ $# -gt 0 ] && [ "$1" != "--" ]; then hosts=$1; shift; fi
[ "${1:-}" = "--" ] && shift
generator_options=("$@")
[ ${#generator_options[@]} -gt 0 ] || generator_options=(--duration 20 --concurrency 4 --users 400)

case "$provider:$hosts" in
  sqlite:1) storage=() ;;
  postgresql:1|postgresql:2)
    : "${RULESMFA_PG:?set RULESMFA_PG to the connection string of an empty PostgreSQL database}"
    storage=(Storage__Provider=postgresql "ConnectionStrings__RulesMfa=$RULESMFA_PG") ;;
  *) echo "run-setups.sh: '$provider' with $hosts hosts is not a set-up (sqlite: 1 host; postgresql: 1 or 2)" >&2; exit 2 ;;
esac

policies=(${POLICIES:-none ten})
for policy in "${policies[@]}"; do
  case "$policy" in
    floor|none|ten) ;;
    *) echo "run-setups.sh: '$policy' is not a case (POLICIES: floor, none, ten)" >&2; exit 2 ;;
  esac
done

dotnet build -c Release host/RulesMfa.Host.csproj -v quiet -nologo >/dev/null
dotnet build -c Release tests/RulesMfa.Load/RulesMfa.Load.csproj -v quiet -nologo >/dev/null

work=$(mktemp -d)
pids=()
stop_hosts() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_hosts; rm -rf "$work"' EXIT

ten_rules=(rules-samples/0[1-9]0-*.js rules-samples/100-*.js)
for policy in "${policies[@]}"; do
  data="$work/data-$policy"
  mkdir -p "$data"
  servers=()
  for host in $(seq 0 $((hosts - 1))); do
    port=$((5700 + host))
    env "${storage[@]}" Metrics__Enabled=true Server__DataFolder="$data" Demo__UserPassword=load-demo-password Demo__ClientSecret=load-demo-secret \
      taskset -c "$host" dotnet host/bin/Release/net10.0/rulesmfa.dll --urls "http://127.0.0.1:$port" >"$work/host-$policy-$host.log" 2>&1 &
    pids+=($!)
    servers+=(--server "http://127.0.0.1:$port" --server-pid $!)
    # The first host creates the database; the second starts once it is ready.
    [ "$hosts" -gt 1 ] && [ "$host" -eq 0 ] && until curl -fs "http://127.0.0.1:$port/ready" >/dev/null; do sleep 0.5; done
  done

  case "$policy" in
    none) case_options=() ;;
    ten) case_options=(--rules "${ten_rules[@]}") ;;
    floor) case_options=(--no-mfa) ;;
  esac
  generator_cores=$([ "$hosts" -eq 1 ] && echo 1 || echo 0-$(($(nproc) - 1)))
  echo "== $provider, $hosts host(s), rules: $policy (hosts on cores 0..$((hosts - 1)), generator on $generator_cores)"
  env "${storage[@]}" taskset -c "$generator_cores" dotnet tests/RulesMfa.Load/bin/Release/net10.0/RulesMfa.Load.dll \
    "${servers[@]}" --data-folder "$data" "${case_options[@]}" "${generator_options[@]}"
  stop_hosts
done
