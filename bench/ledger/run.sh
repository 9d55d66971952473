#!/usr/bin/env bash
# Acceptance-ledger benchmark (issue 6): ingest COUNT simulated Keycloak terms events (default 1,000,000) into SQLite
# and into PostgreSQL through the ledger's own path, then export them as CSV and JSON Lines at three row counts, each
# export in a process of its own. Prints a Markdown table: rows per second and peak resident memory per phase.
# Targets: ingest >= 20,000 events/s on PostgreSQL; export memory flat in the row count.
#
#   bash bench/ledger/run.sh              # COUNT=1000000 by default
#
# PostgreSQL is the Debian server the tests use, started in a temporary folder (fsync off, as in the tests) and
# stopped afterwards; SQLite is a file in a temporary folder. Nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/../.."

count=${COUNT:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build bench/ledger/LedgerBench/LedgerBench.csproj -c Release --nologo -v q -o "$work/bin" >/dev/null
dotnet "$work/bin/LedgerBench.dll" all "$count" "$work/data"
