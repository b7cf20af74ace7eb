#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and storage:
#
#   DATABASE_URL=postgres://nrm:...@db:5432/nrm_restored deploy/restore.sh /backups/nrm-2026...
#
# Checks the backup's checksums first, refuses a database that already has tables, restores
# the database (with the audit log's append-only trigger), then the documents, then gives the
# application's role its rows if NRM_APP_ROLE names it (grant_app_role). The same code version
# as the backup's (or newer: run `manage.py migrate` after it).
set -euo pipefail
cd "$(dirname "$0")/.."

folder="${1:?usage: deploy/restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must name the empty database to restore into}"
py="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python )}"

(cd "$folder" && sha256sum --check --quiet SHA256SUMS) || {
  echo "The backup in $folder is damaged: its checksums do not match. Nothing was restored." >&2
  exit 1
}
tables="$(psql "$DATABASE_URL" -XtAc \
  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "The database already has $tables tables: restore only into an empty database." >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "$DATABASE_URL" "$folder/database.dump"
"$py" manage.py media_restore "$folder/documents.tar" -v 0
if [ -n "${NRM_APP_ROLE:-}" ]; then
  "$py" manage.py grant_app_role "$NRM_APP_ROLE"
fi
echo "Restored $folder"
