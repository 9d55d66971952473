#!/usr/bin/env bash
# Set-up on a fresh Debian machine: the packages the tests need, the NuGet restore, the Keycloak extension's jar, then
# the idpbridge command as a native binary (artifacts/idpbridge/idpbridge).
# Run as root (or with sudo) once; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the test suite uses (one per line, # comments allowed).
mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/debian-packages.txt)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK 10 is required (dotnet on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

dotnet restore IdpBridge.sln

# The Keycloak extension's jar, which the end-to-end tests install in the real Keycloak.
scripts/build-extension.sh

# The idpbridge command as released: the native binary (the end-to-end tests build it again when the code changed).
cli=$(scripts/publish-cli.sh)
echo "idpbridge: $cli (put its folder on PATH, or call it by this path)"
