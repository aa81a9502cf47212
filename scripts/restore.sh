#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into the (new, empty) database named by DATABASE_URL.
# Usage: DATABASE_URL=postgres://…/crampwise_restored scripts/restore.sh FILE
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
file="${1:?give the dump file to restore}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$file"
echo "restored $file"
