#!/usr/bin/env bash
# Re-acceptance rollout benchmark (issue 5). In one run, against the standalone Keycloak simulator with a per-request
# latency and a cap on requests in flight (a modest Keycloak):
#   - `idpbridge rollout start` on USERS users: wall time, users marked per second, requests per marked user, peak memory;
#   - the naive way (one user after another, GET then PUT), measured on NAIVE_USERS users of a fresh realm;
#   - the ideal: the minimum requests (a list page per 100 users, one GET and one PUT per user) x latency / cap, where
#     the latency is what a client measures one request at a time (the naive run's time per request: the configured
#     delay plus the simulator's own handling, about 3 ms more on this kind of machine);
#   - peak memory of the rollout at each size of MEMORY_SIZES (beside USERS), to show it does not grow with the users.
#
#   bash bench/rollout/run.sh
#   USERS=100000 LATENCY_MS=5 CAP=16 IN_FLIGHT=32 NAIVE_USERS=2000 MEMORY_SIZES="10000 1000000" bash bench/rollout/run.sh
#
# CAP is the simulated Keycloak's: it serves that many requests at once and queues the rest. IN_FLIGHT is IdpBridge's
# --max-in-flight, by default twice CAP, as one would set it for a Keycloak with CAP workers: the few extra requests
# wait in its queue, so a worker never idles while IdpBridge handles an answer. The simulator's OpenAPI contract check
# is off here: its CPU would be counted as Keycloak's time.
#
# Targets: at least 0.85 of the ideal throughput, at least 10x the naive way, at most 2.05 requests per marked user,
# peak memory flat in the number of users. Everything runs on loopback; nothing is left running afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

users=${USERS:-100000}
latency=${LATENCY_MS:-5}
cap=${CAP:-16}
in_flight=${IN_FLIGHT:-$((2 * cap))}
naive_users=${NAIVE_USERS:-2000}
memory_sizes=${MEMORY_SIZES-"10000 1000000"}

work=$(mktemp -d)
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The demo realm runs in bridge mode (the simulator has no terms bridge): the benchmark applies its documented
# Admin API variant, whose requiredActions are realm-config/modes/admin-api.requiredActions.json.
python3 - "$work/externos-admin-api.json" <<'PY'
import json, sys
realm = json.load(open("realm-config/externos/realm.json"))
realm["requiredActions"] = json.load(open("realm-config/modes/admin-api.requiredActions.json"))
json.dump(realm, open(sys.argv[1], "w"), indent=2)
PY

echo "building (Release)..." >&2
for project in src/IdpBridge.Cli tests/IdpBridge.Simulator bench/rollout/Naive; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null
done
cli="dotnet src/IdpBridge.Cli/bin/Release/net10.0/idpbridge.dll"

# start_simulator USERS: a fresh simulator with the latency and cap; sets sim_pid, sim_url, secret.
start_simulator() {
  local port; port=$(free_port)
  : >"$work/sim.out"
  dotnet tests/IdpBridge.Simulator/bin/Release/net10.0/IdpBridge.Simulator.dll --port "$port" --users "$1" \
    --latency-ms "$latency" --max-in-flight "$cap" --contract off --request-log 1000 >"$work/sim.out" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 600); do grep -q '^Admin client secret' "$work/sim.out" && break; sleep 0.2; done
  secret=$(grep -o 'secret: [0-9a-f]*' "$work/sim.out" | cut -d' ' -f2)
  sim_url="http://127.0.0.1:$port"
}

# requests_served: the simulator's request count so far (SIGHUP makes it print one line).
requests_served() {
  local before; before=$(grep -c '^Requests served' "$work/sim.out" || true)
  kill -HUP "$sim_pid"
  for _ in $(seq 1 100); do [ "$(grep -c '^Requests served' "$work/sim.out" || true)" -gt "$before" ] && break; sleep 0.05; done
  grep '^Requests served' "$work/sim.out" | tail -1 | grep -o '[A-Z]*=[0-9]*' | cut -d= -f2 | python3 -c 'import sys; print(sum(int(line) for line in sys.stdin))'
}

stop_simulator() { kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; }

# rollout USERS: provisions the demo realm and policy v1, v2 on a fresh simulator, runs the rollout of v2 while
# sampling the process's peak resident memory (VmHWM); prints "users marked seconds requests peak_kib".
rollout() {
  # rollout runs in a subshell (read < <(rollout N)): the main trap cannot see this simulator, so stop it here too.
  trap '[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true' EXIT
  start_simulator "$1"
  export IdpBridge__Keycloak__Url="$sim_url" IdpBridge__Keycloak__ClientId=idpbridge-admin IdpBridge__Keycloak__ClientSecret="$secret"
  export IdpBridge__Storage__SqlitePath="$work/idpbridge-$1.db"
  export GOOGLE_CLIENT_SECRET=bench GITLAB_CLIENT_SECRET=bench IDPBRIDGE_CLIENT_SECRET=bench
  export IdpBridge__Provisioning__SecretHashKey=bench-rollout-secret-hash-key-0123456789
  $cli realm apply "$work/externos-admin-api.json" --auto-approve >/dev/null
  for v in v1 v2; do
    $cli policy publish realm-config/externos/policies/privacy/$v/es.md realm-config/externos/policies/privacy/$v/en.md --realm externos >/dev/null
  done
  local before; before=$(requests_served)
  local start; start=$(date +%s.%N)
  $cli rollout start --yes --realm externos --version 2 --max-in-flight "$in_flight" --output json >"$work/rollout.json" 2>"$work/rollout.err" &
  local pid=$! peak=0
  while kill -0 "$pid" 2>/dev/null; do
    local hwm; hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
    sleep 0.1
  done
  wait "$pid" || { cat "$work/rollout.err" >&2; exit 1; }
  local end; end=$(date +%s.%N)
  local after; after=$(requests_served)
  stop_simulator
  local marked; marked=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["marked"])' "$work/rollout.json")
  echo "$1 $marked $(python3 -c "print($end - $start)") $((after - before)) $peak"
}

echo "rollout of $users users (latency ${latency} ms, Keycloak serves $cap at once, IdpBridge sends up to $in_flight)..." >&2
read -r _ marked seconds requests peak < <(rollout "$users")

echo "naive on $naive_users users..." >&2
start_simulator "$naive_users"
read -r naive_rate naive_requests request_ms < <(dotnet bench/rollout/Naive/bin/Release/net10.0/Naive.dll "$sim_url" idpbridge-admin "$secret" externos "$naive_users" \
  | sed -E 's/.* = ([0-9.]+) users\/s, ([0-9]+) requests, ([0-9.]+) ms per request/\1 \2 \3/')
stop_simulator

pages=$(( (users + 99) / 100 ))
python3 - "$users" "$marked" "$seconds" "$requests" "$peak" "$naive_rate" "$request_ms" "$latency" "$cap" "$pages" "$in_flight" "$naive_requests" "$naive_users" <<'PY'
import sys
users, marked, seconds, requests, peak, naive, request_ms, latency, cap, pages, in_flight, naive_requests, naive_users = sys.argv[1:]
naive_per_user = int(naive_requests) / int(naive_users)
users, marked, requests, peak, pages, cap = int(users), int(marked), int(requests), int(peak), int(pages), int(cap)
seconds, naive, request_ms = float(seconds), float(naive), float(request_ms)
rate = marked / seconds
ideal_seconds = (2 * marked + pages) * request_ms / 1000 / cap
ideal = marked / ideal_seconds
print(f"\nSimulated Keycloak: {latency} ms added to each request ({request_ms:.2f} ms measured one at a time), {cap} served at once; "
      f"IdpBridge --max-in-flight {in_flight}.")
print(f"\n| {users:,} users | wall | users marked/s | requests/marked user | peak memory |")
print("|---|---:|---:|---:|---:|")
print(f"| idpbridge rollout | {seconds:,.1f} s | {rate:,.0f} | {requests / marked:.3f} | {peak / 1024:,.0f} MiB |")
print(f"| ideal (min requests x latency / cap) | {ideal_seconds:,.1f} s | {ideal:,.0f} | {(2 * marked + pages) / marked:.3f} | |")
print(f"| naive (GET then PUT, one by one) | {marked / naive:,.0f} s (est.) | {naive:,.0f} | {naive_per_user:.3f} | |")
print(f"\nthroughput vs ideal: {rate / ideal:.2f} (target >= 0.85); vs naive: {rate / naive:.1f}x (target >= 10x); "
      f"requests per marked user: {requests / marked:.3f} (target <= 2.05)")
PY

if [ -n "$memory_sizes" ]; then
  echo "" ; echo "| users | marked | wall | users marked/s | peak memory |"; echo "|---:|---:|---:|---:|---:|"
  python3 -c "import sys; n,m,s,p=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[3]),int(sys.argv[4]); print(f'| {n:,} | {m:,} | {s:,.1f} s | {m/s:,.0f} | {p/1024:,.0f} MiB |')" "$users" "$marked" "$seconds" "$peak"
  for size in $memory_sizes; do
    echo "memory at $size users..." >&2
    read -r n m s r p < <(rollout "$size")
    python3 -c "import sys; n,m,s,p=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[3]),int(sys.argv[4]); print(f'| {n:,} | {m:,} | {s:,.1f} s | {m/s:,.0f} | {p/1024:,.0f} MiB |')" "$n" "$m" "$s" "$p"
  done
fi
