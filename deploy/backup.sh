#!/usr/bin/env bash
# Back up the NRM system: the PostgreSQL database (pg_dump, custom format) and every uploaded
# document (from the media folder or the S3 bucket, through the application's storage), with
# their checksums, into one new folder: DEST/nrm-<UTC time>/.
#
#   DATABASE_URL=postgres://nrm:...@db:5432/nrm deploy/backup.sh /backups
#
# Run it as the owner role (`nrm`) or another that may read every table; the settings
# (MEDIA_ROOT, or NRM_S3_BUCKET and its credentials) must be the application's. Continuous
# archiving (point-in-time recovery) is the database server's part: docs/DEPLOY.md, "Backups".
# deploy/restore.sh puts a backup back into an empty database; tests/test_backup_restore.py
# proves it.
set -euo pipefail
cd "$(dirname "$0")/.."

dest="${1:?usage: deploy/backup.sh DEST_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
py="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python )}"

folder="$dest/nrm-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$folder"
chmod 700 "$folder"  # victims' records: readable by the backup's owner alone

# One consistent snapshot of the whole database; owners and grants are the restoring side's
# (restore.sh runs grant_app_role), so the dump restores under other role names too.
pg_dump --format=custom --no-owner --no-privileges --file "$folder/database.dump" "$DATABASE_URL"
# The documents after the database: a row always finds its file (a file uploaded meanwhile,
# without its row, is harmless).
"$py" manage.py media_backup "$folder/documents.tar" -v 0
"$py" manage.py showmigrations --plan 2>/dev/null | grep -c '\[X\]' > "$folder/migrations-applied"
(cd "$folder" && sha256sum database.dump documents.tar migrations-applied > SHA256SUMS)
chmod 600 "$folder"/*
echo "$folder"
