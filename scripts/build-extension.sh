#!/usr/bin/env bash
# Builds the Keycloak extension (keycloak-extension/) with plain javac and jar against the Keycloak distribution's own
# jars: keycloak-extension/build/idpbridge-keycloak-extension.jar. With --test, also runs its JUnit tests and prints the
# launcher's counts, then one line "N passed, N failed" (exit code non-zero when one failed).
# The distribution is the one the tests use ($IDPBRIDGE_KEYCLOAK_ZIP, else ../shared/keycloak-dist/), unpacked by the
# project's launcher (tools/IdpBridge.KeycloakLauncher) into its cache; nothing here unpacks it another way.
set -euo pipefail
cd "$(dirname "$0")/.."

run_tests=false
for argument in "$@"; do
  case "$argument" in
    --test) run_tests=true ;;
    *) echo "usage: scripts/build-extension.sh [--test]" >&2; exit 2 ;;
  esac
done

fail() { echo "build-extension: $*" >&2; exit 1; }

command -v javac >/dev/null 2>&1 || fail "javac not found: install a JDK 17 or newer (Debian: openjdk-17-jdk-headless)."
command -v jar >/dev/null 2>&1 || fail "jar not found: install a JDK 17 or newer (Debian: openjdk-17-jdk-headless)."

zip="${IDPBRIDGE_KEYCLOAK_ZIP:-}"
if [ -z "$zip" ]; then
  shopt -s nullglob
  zips=(../shared/keycloak-dist/keycloak-quarkus-dist-*.zip)
  shopt -u nullglob
  [ "${#zips[@]}" -eq 1 ] || fail "no single Keycloak distribution zip in ../shared/keycloak-dist/ (found ${#zips[@]}): set IDPBRIDGE_KEYCLOAK_ZIP."
  zip="${zips[0]}"
fi
[ -f "$zip" ] || fail "the Keycloak distribution zip $zip does not exist (set IDPBRIDGE_KEYCLOAK_ZIP)."

# The launcher's cache layout (KeycloakDistribution.CacheRoot): <cache>/<first 16 hex of the zip's sha256>/dist/<root>.
cache="${IDPBRIDGE_KEYCLOAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/idpbridge/keycloak}"
sha16=$(sha256sum "$zip" | cut -c1-16)
dist=$(find "$cache/$sha16/dist" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1 || true)
if [ -z "$dist" ] || [ ! -d "$dist/lib/lib/main" ]; then
  echo "build-extension: unpacking $zip through the Keycloak launcher"
  command -v dotnet >/dev/null 2>&1 || fail "dotnet not found: the Keycloak launcher (tools/IdpBridge.KeycloakLauncher) unpacks the distribution."
  dist=$(dotnet run --project tools/IdpBridge.KeycloakLauncher -- unpack --zip "$zip" | tail -n 1)
fi
lib="$dist/lib/lib/main"
compgen -G "$lib/org.keycloak.keycloak-server-spi-*.jar" >/dev/null || fail "no Keycloak server jars in $lib."

extension=keycloak-extension
build="$extension/build"
rm -rf "$build/classes" "$build/test-classes"
mkdir -p "$build/classes"
mapfile -t sources < <(find "$extension/src/main/java" -name '*.java' | sort)
javac --release 17 -encoding UTF-8 -Xlint:all -Werror -cp "$lib/*" -d "$build/classes" "${sources[@]}"
cp -r "$extension/src/main/resources/." "$build/classes/"
jar --create --file "$build/idpbridge-keycloak-extension.jar" -C "$build/classes" .
echo "build-extension: $build/idpbridge-keycloak-extension.jar (against Keycloak $(basename "$dist"))"

if $run_tests; then
  junit=../shared/java-test/junit-platform-console-standalone-1.13.4.jar
  [ -f "$junit" ] || fail "JUnit not found at $junit (see ../shared/java-test/README.md)."
  mkdir -p "$build/test-classes"
  mapfile -t tests < <(find "$extension/src/test/java" -name '*.java' | sort)
  javac --release 17 -encoding UTF-8 -Xlint:all -Werror -cp "$build/classes:$lib/*:$junit" -d "$build/test-classes" "${tests[@]}"
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  set +e
  java -jar "$junit" execute --class-path "$build/test-classes:$build/classes:$lib/*" --scan-class-path \
    --disable-banner --details=summary --disable-ansi-colors > "$log" 2>&1
  status=$?
  set -e
  grep -E "tests (successful|failed)|\[ERROR\]|✘|=>" "$log" || cat "$log"
  passed=$(sed -n 's/.*\[ *\([0-9]*\) tests successful.*/\1/p' "$log")
  failed=$(sed -n 's/.*\[ *\([0-9]*\) tests failed.*/\1/p' "$log")
  # No summary at all (the launcher crashed): one failure, so the caller's count cannot read as green.
  if [ -z "$passed$failed" ]; then cat "$log"; passed=0; failed=1; fi
  echo "${passed:-0} passed, ${failed:-0} failed"
  [ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
fi
