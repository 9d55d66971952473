#!/usr/bin/env bash
# Re-acceptance rollouts on the real Keycloak 26.7.3 (issue 16). One run starts the distribution's server through the
# project's launcher (tools/IdpBridge.KeycloakLauncher), provisions realm `bench` the IdpBridge way (`idpbridge realm
# apply` of realm/, TERMS_AND_CONDITIONS enabled and a default action), imports USERS users by partial import, and then,
# once straight on loopback and once through DELAY_MS added each way, measures:
#   - `idpbridge rollout start` (the native binary of scripts/publish-cli.sh, as released; a SQLite store of its own per
#     run) with default settings, then with each --max-in-flight of IN_FLIGHTS; and once with default settings as
#     `dotnet idpbridge.dll` (the JIT-compiled Release build, "idpbridge-jit default"), for its CPU beside the native one;
#   - the naive script (bench/rollout/Naive: one user after another, GET then PUT) on NAIVE_USERS users;
#   - `kcadm.sh update users/<id> -s requiredActions=[...]`, one process per user, on KCADM_USERS users;
#   - the server's limit: Tuned/, the fewest requests (full list pages of 100, then GET+PUT per user as IdpBridge
#     sends, or the PUT alone) at each concurrency of CONCURRENCY, each level on its own slice of the users; and GET+PUT
#     with the pages read a second time, as IdpBridge's closing sweep does, so every request IdpBridge sends. The GET+PUT
#     curve runs before and after IdpBridge's runs (Keycloak still gets faster for minutes; the best level counts);
#   - right before and after each IdpBridge run, its neighbours: the tuned client that sends every request IdpBridge
#     sends (GET+PUT, the pages read twice) at each level of NEIGHBOUR_LEVELS (32 64), what the ratio is taken against.
# Every client talks to Keycloak through DelayProxy (0 ms on loopback), which counts the requests. Keycloak and the
# proxies are warmed up first (a rollout's worth of GET+PUT, not measured: a cold JVM is several times slower). Before each
# measurement the users are as imported: a reset takes TERMS_AND_CONDITIONS off everyone through the admin API (not
# timed, not through the proxy), and each IdpBridge run publishes the material version into a fresh store.
# Per run: wall time, users/s, requests per user, the client's CPU (user+sys) and peak RSS (/usr/bin/time -v), the
# Keycloak java process's CPU seconds (/proc), the proxy's CPU, and the 1-minute load average at the end.
#
#   bash bench/rollout-keycloak/run.sh
#   USERS=500 NAIVE_USERS=200 KCADM_USERS=5 IN_FLIGHTS="8 32" CONCURRENCY="1 8 32" bash bench/rollout-keycloak/run.sh
#
# Targets (default settings): >= 0.9 of the tuned client that sends the same requests (the mean of the run's two
# neighbours, each at its best level) on loopback and with the delay; >= 5x the naive script
# with the delay; >= 400x kcadm.sh; IdpBridge CPU <= 0.55 ms per marked user (half of the 1.1 ms of issue 16).
# Exit 0 when all are met, 3 when one is missed (named), 1 on error. Nothing is left running afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/rollout-keycloak
# shellcheck source=measure.sh
source "$here/measure.sh"

users=${USERS:-5000}
naive_users=${NAIVE_USERS:-1000}
kcadm_users=${KCADM_USERS:-20}
delay_ms=${DELAY_MS:-5}
in_flights=${IN_FLIGHTS:-"4 8 16 32"}
concurrency=${CONCURRENCY:-"1 2 4 8 16 32 64"}
neighbour_levels=${NEIGHBOUR_LEVELS:-"32 64"}
zip=${IDPBRIDGE_KEYCLOAK_ZIP:-../shared/keycloak-dist/keycloak-quarkus-dist-26.7.3.zip}
realm=bench

work=$(mktemp -d /tmp/idpbridge-bench-XXXXXX)
launcher_pid="" kc_pid="" java_pid=""
proxy_pids=()
cleanup() {
  for pid in "${proxy_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${proxy_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$launcher_pid" ]; then
    # The launcher stops Keycloak's process group (SIGTERM, then SIGKILL after 20 s) and deletes its home.
    kill -TERM "$launcher_pid" 2>/dev/null || true
    wait "$launcher_pid" 2>/dev/null || true
  fi
  if [ -n "$kc_pid" ] && { kill -0 "$kc_pid" || kill -0 "${java_pid:-$kc_pid}"; } 2>/dev/null; then
    echo "Keycloak ($kc_pid, java $java_pid) outlived the launcher: killing its process group" >&2
    kill -KILL -- "-$kc_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (Release, and the native idpbridge)..." >&2
cli=$(scripts/publish-cli.sh) || exit 1
for project in src/IdpBridge.Cli tools/IdpBridge.KeycloakLauncher bench/rollout/Naive "$here/Tuned" "$here/DelayProxy"; do
  dotnet build -c Release -v q -nologo "$project" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done
bin() { echo "$1/bin/Release/net10.0/$2.dll"; }
cli_jit="dotnet $(bin src/IdpBridge.Cli idpbridge)"

echo "starting Keycloak ($zip)..." >&2
dotnet "$(bin tools/IdpBridge.KeycloakLauncher idpbridge-keycloak)" run --zip "$zip" --env-file "$work/kc.env" >"$work/launcher.log" 2>&1 &
launcher_pid=$!
until grep -qs '^Connection settings written' "$work/launcher.log"; do
  kill -0 "$launcher_pid" 2>/dev/null || { cat "$work/launcher.log" >&2; launcher_pid=""; exit 1; }
  sleep 0.5
done
# shellcheck disable=SC1091
source "$work/kc.env"
kc_pid=$KEYCLOAK_PID
# The launcher's KEYCLOAK_PID leads the server's process group: kc.sh, which runs java as its child (26.7.3 does not
# exec it). The CPU measured is java's.
java_pid=$(ps --ppid "$kc_pid" -o pid=,comm= | awk '$2 == "java" { print $1 }')
[ "$(cat "/proc/$kc_pid/comm")" = java ] && java_pid=$kc_pid
[ -n "$java_pid" ] || { echo "no java process under Keycloak's $kc_pid" >&2; exit 1; }
kc_home=$(grep -o 'home /[^)]*' "$work/launcher.log" | head -1 | cut -d' ' -f2)
grep '^Keycloak' "$work/launcher.log" >&2

# tuned URL COMMAND ARGS...: the Tuned client on realm bench as the bootstrap admin client.
tuned() { TUNED_SERVER_PID=$java_pid dotnet "$(bin "$here/Tuned" Tuned)" "$1" "$KEYCLOAK_ADMIN_CLIENT_ID" "$KEYCLOAK_ADMIN_CLIENT_SECRET" "$realm" "${@:2}"; }
reset_users() { tuned "$KEYCLOAK_URL" reset 16 >/dev/null; }

export IdpBridge__Keycloak__ClientId=$KEYCLOAK_ADMIN_CLIENT_ID IdpBridge__Keycloak__ClientSecret=$KEYCLOAK_ADMIN_CLIENT_SECRET

echo "provisioning realm $realm and importing $users users..." >&2
tuned "$KEYCLOAK_URL" token-lifespan 3600  # Naive, Tuned and kcadm.sh hold one token for the whole measurement.
IdpBridge__Keycloak__Url=$KEYCLOAK_URL IdpBridge__Storage__SqlitePath=$work/provision.db $cli realm apply "$here/realm" --auto-approve >/dev/null
tuned "$KEYCLOAK_URL" seed "$users"
# start_proxy DELAY_MS: a DelayProxy in front of Keycloak; sets proxy_url and proxy_pid.
start_proxy() {
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  dotnet "$(bin "$here/DelayProxy" DelayProxy)" "$port" "$KEYCLOAK_URL" "$1" >"$work/proxy-$1.log" 2>&1 &
  proxy_pid=$!
  proxy_pids+=("$proxy_pid")
  proxy_url="http://127.0.0.1:$port"
  until proxy_requests "$proxy_url" >/dev/null 2>&1; do kill -0 "$proxy_pid" || exit 1; sleep 0.2; done
}

results=$work/results.tsv
# record CONDITION CLIENT USERS SECONDS CPU RSS_KIB BEFORE AFTER KC0 KC1 PX0 PX1: one line of results.tsv
record() {
  local requests; requests=$(requests_between "$7" "$8")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${requests// /$'\t'}" \
    "$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$9" "${10}")" \
    "$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "${11}" "${12}")" "$(load_average)" >>"$results"
  progress
}

# progress: the last result as it came, for a run watched or cut short (condition client users seconds cpu rss requests...).
progress() { echo "    $(tail -1 "$results" | tr '\t' ' ')" >&2; }

# timed LABEL COMMAND...: runs the command under /usr/bin/time -v; sets wall, cpu, rss; stdout to $work/LABEL.out.
timed() {
  local label=$1; shift
  local start; start=$(now)
  /usr/bin/time -v -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err" \
    || { cat "$work/$label.err" >&2; exit 1; }
  wall=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(now)")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$label.time")
}

# measure CONDITION CLIENT LABEL COMMAND...: timed, with the proxy's counts and Keycloak's and the proxy's CPU around it.
measure() {
  local condition=$1 client=$2 label=$3; shift 3
  local before kc0 px0; before=$(proxy_requests "$proxy_url"); kc0=$(cpu_seconds "$java_pid"); px0=$(cpu_seconds "$proxy_pid")
  timed "$label" "$@"
  local after kc1 px1; after=$(proxy_requests "$proxy_url"); kc1=$(cpu_seconds "$java_pid"); px1=$(cpu_seconds "$proxy_pid")
  local done_users
  case $client in
    idpbridge*) done_users=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["marked"])' "$work/$label.out") ;;
    naive) done_users=$naive_users ;;
    kcadm) done_users=$kcadm_users ;;
  esac
  record "$condition" "$client" "$done_users" "$wall" "$cpu" "$rss" "$before" "$after" "$kc0" "$kc1" "$px0" "$px1"
}

# idpbridge CONDITION [OPTIONS]: a rollout of a freshly published material version, from a fresh store, by the native
# binary (or by IDPBRIDGE, named NAME, when both are set).
idpbridge() {
  local condition=$1; shift
  local name="idpbridge${1:+ $*}"; name=${name/--max-in-flight /in-flight=}
  [ $# -eq 0 ] && name="idpbridge default"
  name=${NAME:-$name}
  local command=${IDPBRIDGE:-$cli}
  export IdpBridge__Keycloak__Url=$proxy_url IdpBridge__Storage__SqlitePath=$work/store-$condition-${name// /_}.db
  $command policy publish "$here/policy/en.md" --realm "$realm" >/dev/null
  echo "  $name..." >&2
  measure "$condition" "$name" "idpbridge" $command rollout start --yes --realm "$realm" --version 1 "$@" --output json
  reset_users
}

# kcadm CONDITION: kcadm.sh update, one process per user, on the first KCADM_USERS users.
kcadm() {
  local config=$work/kcadm.config
  "$kc_home/bin/kcadm.sh" config credentials --server "$proxy_url" --realm master --client "$KEYCLOAK_ADMIN_CLIENT_ID" \
    --secret "$KEYCLOAK_ADMIN_CLIENT_SECRET" --config "$config" >/dev/null 2>&1
  tuned "$KEYCLOAK_URL" list "$kcadm_users" >"$work/kcadm-users.txt"
  cat >"$work/kcadm-loop.sh" <<SH
while read -r id actions; do
  if [ "\$actions" = "[]" ]; then marked='["TERMS_AND_CONDITIONS"]'; else marked="\${actions%]},\"TERMS_AND_CONDITIONS\"]"; fi
  "$kc_home/bin/kcadm.sh" update "users/\$id" -r "$realm" -s "requiredActions=\$marked" --config "$config"
done <"$work/kcadm-users.txt"
SH
  echo "  kcadm.sh on $kcadm_users users..." >&2
  measure "$1" kcadm kcadm bash "$work/kcadm-loop.sh"
  reset_users
}

# tuned_curve CONDITION MODE [LEVELS [LABEL]]: the tuned client at each concurrency of LEVELS (CONCURRENCY), each level
# on the next slice of users; its lines of results.tsv are named LABEL (tuned-MODE) and the level.
tuned_curve() {
  local curve=${3:-$concurrency} label=${4:-tuned-$2}
  local levels; levels=$(echo "$curve" | wc -w)
  local per_level=$(( users / levels ))
  echo "  $label: tuned $2 at concurrency ${curve// /, } ($per_level users each)..." >&2
  local before; before=$(proxy_requests "$proxy_url")
  tuned "$proxy_url" mark "$2" "${curve// /,}" "$per_level" >"$work/tuned.out"
  local requests; requests=$(requests_between "$before" "$(proxy_requests "$proxy_url")")
  local sent=0
  # Marker.Line: tuned MODE concurrency=C users=N seconds=S requests=R cpu=S server_cpu=S
  while read -r _ mode level n seconds sent_here cpu server; do
    printf '%s\t%s c=%s\t%s\t%s\t%s\t-\t%s\t-\t-\t-\t%s\t-\t%s\n' "$1" "$label" "${level#*=}" "${n#*=}" "${seconds#*=}" \
      "${cpu#*=}" "${sent_here#*=}" "${server#*=}" "$(load_average)" >>"$results"
    progress
    sent=$(( sent + ${sent_here#*=} ))
  done <"$work/tuned.out"
  [ "${requests%% *}" -eq "$(( sent + 1 ))" ] || echo "  note: the proxy counted ${requests%% *} requests, the tuned client sent $sent and one token request" >&2
  reset_users
}

# neighbour CONDITION: the tuned client that sends every request IdpBridge sends (GET+PUT, then the pages again) at each
# level of NEIGHBOUR_LEVELS, right before and after each IdpBridge run (named neighbour-N): Keycloak gets faster for
# twenty minutes and more (the tuned client's curve after IdpBridge's runs 1.3x its curve before, 2 December), so each
# IdpBridge run is compared with the mean of its two neighbours' best levels, not with a curve measured minutes apart.
neighbours=0
neighbour() {
  neighbours=$(( neighbours + 1 ))
  tuned_curve "$1" getput-sweep "$neighbour_levels" "neighbour-$neighbours"
}

# startup: the CPU and memory of an idpbridge process that only starts, opens its store and lists one version (a rollout's
# fixed cost, to tell it from the per-user cost).
startup() {
  export IdpBridge__Keycloak__Url=$KEYCLOAK_URL IdpBridge__Storage__SqlitePath=$work/startup.db
  $cli policy publish "$here/policy/en.md" --realm "$realm" >/dev/null
  timed startup $cli policy list --realm "$realm"
  echo "$wall $cpu $rss" >"$work/startup.txt"
  echo "  idpbridge start-up alone (policy list): $wall s, $cpu s CPU, $rss KiB" >&2
}

# condition NAME PROXY_URL PROXY_PID: every client through that DelayProxy.
condition() {
  proxy_url=$2 proxy_pid=$3
  echo "$1, $(uptime)" >&2
  echo "$1 start: $(uptime)" >>"$work/uptime.txt"
  tuned_curve "$1" getput
  neighbour "$1"
  idpbridge "$1"
  neighbour "$1"
  for n in $in_flights; do idpbridge "$1" --max-in-flight "$n"; neighbour "$1"; done
  IDPBRIDGE=$cli_jit NAME="idpbridge-jit default" idpbridge "$1"
  echo "  naive on $naive_users users..." >&2
  measure "$1" naive naive dotnet "$(bin bench/rollout/Naive Naive)" "$proxy_url" "$KEYCLOAK_ADMIN_CLIENT_ID" "$KEYCLOAK_ADMIN_CLIENT_SECRET" "$realm" "$naive_users"
  reset_users
  kcadm "$1"
  tuned_curve "$1" getput
  tuned_curve "$1" getput-sweep
  tuned_curve "$1" put
  echo "$1 end: $(uptime)" >>"$work/uptime.txt"
}

start_proxy 0
loopback_url=$proxy_url loopback_pid=$proxy_pid
start_proxy "$delay_ms"
delay_url=$proxy_url delay_pid=$proxy_pid
# Keycloak's JIT (and the proxies') before anything is measured: every user marked and reset twice, through both
# proxies. With 2,000 users marked once, the first rollout of 5,000 still took 2.2x as long (and Keycloak 2.5x the CPU
# per user) as the third one with the same settings.
echo "warming Keycloak and the proxies up (not measured)..." >&2
for _ in 1 2; do
  tuned "$loopback_url" mark getput 8 $(( users * 3 / 4 )) >/dev/null
  tuned "$delay_url" mark getput 16 $(( users - users * 3 / 4 )) $(( users * 3 / 4 )) >/dev/null
  reset_users
done
# And one IdpBridge rollout, so its own requests (the start's searches, the sweep's pages) are not met cold either.
proxy_url=$loopback_url proxy_pid=$loopback_pid
idpbridge warm-up >/dev/null
rm -f "$results"
startup
condition loopback "$loopback_url" "$loopback_pid"
condition "delay-${delay_ms}ms" "$delay_url" "$delay_pid"

status=0
python3 -B "$here/report.py" "$results" "$users" "$(nproc)" "$work/uptime.txt" "$work/startup.txt" || status=$?
exit "$status"
