#!/usr/bin/env bash
# Writes .env for docker-compose.yml from .env.example, with each empty secret (POSTGRES_PASSWORD,
# KC_BOOTSTRAP_ADMIN_PASSWORD, KC_BOOTSTRAP_ADMIN_CLIENT_SECRET, IDPBRIDGE_CLIENT_SECRET, IDPBRIDGE_SECRET_HASH_KEY) set to a random value
# of its own.
# The file is readable by its owner only; the secrets are printed nowhere. An existing .env is never overwritten.
set -euo pipefail
cd "$(dirname "$0")/.."
[ ! -e .env ] || { echo "compose-env: .env exists already; delete it first to generate new secrets (then docker compose down -v)." >&2; exit 1; }
umask 077
while IFS= read -r line; do
  if [[ "$line" =~ ^([A-Z_]*(PASSWORD|SECRET|KEY))=$ ]]; then
    echo "${BASH_REMATCH[1]}=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
  else
    echo "$line"
  fi
done < .env.example > .env
echo "compose-env: wrote .env (mode 0600) with generated secrets; the Keycloak admin console password is KC_BOOTSTRAP_ADMIN_PASSWORD there."
