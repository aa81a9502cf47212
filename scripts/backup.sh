#!/usr/bin/env bash
# Back up the database named by DATABASE_URL to a compressed custom-format dump (pg_dump -Fc).
# Usage: DATABASE_URL=postgres://… scripts/backup.sh [FOLDER]   (default: var/backups)
# Keeps the newest $KEEP dumps (default 35: daily for five weeks); see docs/operations.md.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
folder="${1:-var/backups}"
keep="${KEEP:-35}"
mkdir -p "$folder"
chmod 700 "$folder"  # health data: readable by the service account only
file="$folder/crampwise-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"  # a dump is complete or absent, never half-written under the real name
chmod 600 "$file"
ls -1t "$folder"/crampwise-*.dump | tail -n +"$((keep + 1))" | xargs -r rm --
echo "$file"
