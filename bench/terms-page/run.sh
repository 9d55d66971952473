#!/usr/bin/env bash
# Terms-page benchmark (issue 4): IdpBridge's current policy page against nginx serving the very same bytes, in the
# same run, with wrk and 64 connections. Targets: at least 0.6 of nginx's requests per second, p99 under 10 ms.
#
#   bash bench/terms-page/run.sh            # DURATION=20s by default; DURATION=60s for a steadier figure
#
# Everything runs on loopback: the Keycloak simulator (for `realm apply` and `policy publish`), the service built in
# Release with a fresh SQLite file, nginx with a temporary config. Nothing is left running afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${DURATION:-20s}
connections=64
threads=2

for tool in wrk nginx curl; do
  if ! command -v "$tool" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$tool" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk nginx-light curl >/dev/null
    else
      echo "the benchmark needs wrk, nginx and curl: apt-get install wrk nginx-light curl" >&2
      exit 1
    fi
  fi
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }

echo "building (Release)..."
for project in src/IdpBridge.Service src/IdpBridge.Cli tests/IdpBridge.Simulator; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null
done

sim_port=$(free_port); service_port=$(free_port); nginx_port=$(free_port)
dotnet tests/IdpBridge.Simulator/bin/Release/net10.0/IdpBridge.Simulator.dll --port "$sim_port" --realm bench >"$work/sim.out" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$sim_port/realms/master/.well-known/openid-configuration"
secret=$(grep -o 'secret: [0-9a-f]*' "$work/sim.out" | cut -d' ' -f2)

export IdpBridge__Keycloak__Url="http://127.0.0.1:$sim_port" IdpBridge__Keycloak__ClientId=idpbridge-admin
export IdpBridge__Keycloak__ClientSecret="$secret"
export IdpBridge__Storage__SqlitePath="$work/idpbridge.db" IdpBridge__Policies__PublicBaseUrl="http://127.0.0.1:$service_port"
export GOOGLE_CLIENT_SECRET=bench GITLAB_CLIENT_SECRET=bench IDPBRIDGE_CLIENT_SECRET=bench
cli="dotnet src/IdpBridge.Cli/bin/Release/net10.0/idpbridge.dll"
$cli realm apply realm-config/externos --auto-approve >/dev/null
$cli policy publish realm-config/externos/policies/privacy/v1/es.md realm-config/externos/policies/privacy/v1/en.md --realm externos >/dev/null

IdpBridge__AdminApi__Realm=externos IdpBridge__AdminApi__RequireHttpsMetadata=false \
  ASPNETCORE_URLS="http://127.0.0.1:$service_port" Logging__LogLevel__Default=Warning \
  dotnet src/IdpBridge.Service/bin/Release/net10.0/IdpBridge.Service.dll >"$work/service.out" 2>&1 &
pids+=($!)
page="/policies/externos/privacy"
wait_for "http://127.0.0.1:$service_port$page"

# nginx serves the bytes the service serves, with the same content type and security headers.
mkdir -p "$work/www/policies/externos"
curl -fsS "http://127.0.0.1:$service_port$page" -o "$work/www/policies/externos/privacy"
size=$(stat -c %s "$work/www/policies/externos/privacy")
csp=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$service_port$page" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p')
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$work/nginx.conf" <<CONF
$user_line
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / {
      default_type "text/html; charset=utf-8";
      add_header Content-Security-Policy "$csp";
      add_header Cache-Control "public, max-age=60";
    }
  }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
wait_for "http://127.0.0.1:$nginx_port$page"

measure() { # url -> "rps p99_ms"
  wrk -t"$threads" -c"$connections" -d3s "$1" >/dev/null            # warm-up
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$1" >"$work/wrk.out"
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us$/, "", v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v=v*1000 } print v }' "$work/wrk.out")
  if grep -q "Non-2xx" "$work/wrk.out"; then echo "errors in $1:" >&2; cat "$work/wrk.out" >&2; exit 1; fi
  echo "$rps $p99"
}

echo "page: $page ($size bytes); wrk: $threads threads, $connections connections, $duration"
read -r idp_rps idp_p99 < <(measure "http://127.0.0.1:$service_port$page")
read -r ngx_rps ngx_p99 < <(measure "http://127.0.0.1:$nginx_port$page")
ratio=$(awk -v a="$idp_rps" -v b="$ngx_rps" 'BEGIN { printf "%.2f", a / b }')
printf '\n| server | requests/s | p99 (ms) |\n|---|---:|---:|\n| IdpBridge | %s | %s |\n| nginx (same bytes) | %s | %s |\n\n' "$idp_rps" "$idp_p99" "$ngx_rps" "$ngx_p99"
echo "IdpBridge / nginx = $ratio (target >= 0.60); IdpBridge p99 = $idp_p99 ms (target < 10)"
awk -v r="$ratio" -v p="$idp_p99" 'BEGIN { exit !(r >= 0.6 && p < 10) }' && echo "targets met" || { echo "targets NOT met"; exit 3; }
