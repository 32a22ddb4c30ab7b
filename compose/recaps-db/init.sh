#!/usr/bin/env bash
# Run by the postgres image on its first start (docker-entrypoint-initdb.d): creates the Recaps roles
# with the passwords compose passes in (RECAPS_DB_OWNER_PASSWORD, RECAPS_DB_PASSWORD).
set -euo pipefail
psql --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$RECAPS_DB_OWNER_PASSWORD" -v app_password="$RECAPS_DB_PASSWORD" \
  -f /docker-entrypoint-initdb.d/roles.psql
