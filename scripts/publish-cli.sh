#!/usr/bin/env bash
# Builds the idpbridge command as a native binary (Native AOT): artifacts/idpbridge/idpbridge, with the SQLite library
# it loads beside it. The native binary starts in milliseconds and spends about half the CPU per rollout user of
# `dotnet idpbridge.dll`, CPU that a Keycloak on the same machine can use. Needs clang and zlib's headers (Debian:
# clang, zlib1g-dev; scripts/setup.sh installs them) and the packages of `dotnet restore IdpBridge.sln`.
#
#   scripts/publish-cli.sh                    # artifacts/idpbridge/idpbridge
#   scripts/publish-cli.sh --output DIR       # DIR/idpbridge
#
# Prints the binary's path on its last line. Exit 0 when built, 1 when not (the compiler's messages on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."

output=artifacts/idpbridge
while [ $# -gt 0 ]; do
  case "$1" in
    --output) [ $# -ge 2 ] || { echo "publish-cli: --output needs a folder" >&2; exit 2; }; output=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: scripts/publish-cli.sh [--output DIR]" >&2; exit 2 ;;
  esac
done

fail() { echo "publish-cli: $*" >&2; exit 1; }

# The native linker driver: clang under its plain name, else Debian's versioned one.
linker=""
for candidate in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
  if command -v "$candidate" >/dev/null 2>&1; then linker=$candidate; break; fi
done
[ -n "$linker" ] || fail "clang not found: the native build links with it (Debian: apt-get install clang zlib1g-dev)."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The restore is the solution's (the CLI's project names linux-x64 among its runtime identifiers), so that a publish
# beside a running build or test never rewrites the assets file those read.
if ! dotnet publish src/IdpBridge.Cli -c Release -r linux-x64 --no-restore -nologo -v q \
  -p:CppCompilerAndLinker="$linker" -p:GenerateDocumentationFile=false -p:DebugType=none \
  -o "$output" >"$log" 2>&1; then
  grep -E "error|warning" "$log" >&2 || cat "$log" >&2
  fail "the native build failed (above); 'dotnet restore IdpBridge.sln' first if the packages are missing."
fi
[ -x "$output/idpbridge" ] || fail "no binary at $output/idpbridge after the build"
echo "$(cd "$output" && pwd)/idpbridge"
