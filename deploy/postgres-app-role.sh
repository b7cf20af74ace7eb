#!/bin/sh
# Run once by the postgres image when the database is created (docker-entrypoint-initdb.d):
# the application's own role, which owns nothing. `manage.py grant_app_role nrm_app` (the
# migrate service, as the owner) then gives it the rows of every table and the audit log
# insert-only.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$APP_DB_PASSWORD" <<'EOSQL'
CREATE ROLE nrm_app LOGIN PASSWORD :'password';
EOSQL
