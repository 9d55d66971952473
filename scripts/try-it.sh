#!/usr/bin/env bash
# The IdpBridge demo on this machine, without Docker (README, "Try it"). After the README's set-up (scripts/setup.sh):
#
#   scripts/try-it.sh [start] [--zip keycloak-26.7.3.zip] [--keycloak-port 8080] [--service-port 8081]
#                     [--mail-port 8025] [--smtp-port 1025] [--state-dir DIR] [--no-build]
#   scripts/try-it.sh stop [--state-dir DIR]        stops a run started elsewhere (Ctrl+C where it runs does the same)
#   scripts/try-it.sh idpbridge <command>...        the idpbridge command against the running demo (its Keycloak, its store)
#
# The work is done by tools/IdpBridge.TryIt (idpbridge-try-it); this script only builds what it needs: the .NET tools
# (unless --no-build) and the bridge's jar (scripts/build-extension.sh, when missing or older than its sources).
# The zip: --zip, else $IDPBRIDGE_KEYCLOAK_ZIP, else the one in ../shared/keycloak-dist/ (the tests' copy) if present.
# The state folder: --state-dir, else $IDPBRIDGE_TRY_IT_HOME, else ~/.local/state/idpbridge/try-it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "try-it: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || fail "dotnet not found: install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian)."
tool="$root/tools/IdpBridge.TryIt/bin/Debug/net10.0/idpbridge-try-it.dll"
cli="$root/src/IdpBridge.Cli/bin/Debug/net10.0/idpbridge.dll"

command=start
case "${1:-}" in
  start|stop|idpbridge) command=$1; shift ;;
esac

if [ "$command" = idpbridge ]; then
  state="${IDPBRIDGE_TRY_IT_HOME:-${XDG_STATE_HOME:-$HOME/.local/state}/idpbridge/try-it}"
  [ -f "$state/cli.env" ] || fail "the demo is not running (no $state/cli.env): start it with scripts/try-it.sh (set IDPBRIDGE_TRY_IT_HOME for another state folder)."
  [ -f "$cli" ] || fail "$cli is not built: run scripts/try-it.sh once, or dotnet build tools/IdpBridge.TryIt."
  set -a
  # shellcheck disable=SC1091
  . "$state/cli.env"
  set +a
  exec dotnet "$cli" "$@"
fi

build=true
arguments=()
zip="${IDPBRIDGE_KEYCLOAK_ZIP:-}"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    --zip) [ "$#" -ge 2 ] || fail "--zip needs the path of the Keycloak zip."; zip=$2; arguments+=("$1" "$2"); shift ;;
    --zip=*) zip=${1#--zip=}; arguments+=("$1") ;;
    *) arguments+=("$1") ;;
  esac
  shift
done

if [ "$command" = start ]; then
  if [ -z "$zip" ]; then
    shopt -s nullglob
    shared=("$root"/../shared/keycloak-dist/keycloak-quarkus-dist-*.zip)
    shopt -u nullglob
    [ "${#shared[@]}" -eq 1 ] && zip=$(cd "$(dirname "${shared[0]}")" && pwd)/$(basename "${shared[0]}")
  fi
  [ -n "$zip" ] && export IDPBRIDGE_KEYCLOAK_ZIP="$zip"

  jar="$root/keycloak-extension/build/idpbridge-keycloak-extension.jar"
  if [ -n "$zip" ] && [ -f "$zip" ] && { [ ! -f "$jar" ] || [ -n "$(find "$root/keycloak-extension/src/main" -newer "$jar" -type f | head -n 1)" ]; }; then
    echo "try-it: building the bridge's jar (scripts/build-extension.sh)"
    "$root/scripts/build-extension.sh"
  fi
fi

# Only a start builds: stop must not rewrite the programs of the run it stops.
if $build && [ "$command" = start ]; then
  echo "try-it: building the IdpBridge command, service and try-it tool (dotnet build tools/IdpBridge.TryIt)"
  log=$(mktemp)
  if ! dotnet build "$root/tools/IdpBridge.TryIt" --nologo -v quiet >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "the build failed (above)."
  fi
  rm -f "$log"
fi
[ -f "$tool" ] || fail "$tool is not built: run without --no-build."

# exec: Ctrl+C and SIGTERM reach the tool itself, which stops everything it started.
exec dotnet "$tool" "$command" "${arguments[@]}"
