#!/usr/bin/env bash
# Regenerates the PWA's API types (src/api/schema.d.ts) from the server's OpenAPI schema: drf-spectacular
# writes the schema, openapi-typescript turns it into types. `npm run gen:types`; an optional argument writes
# elsewhere (tests/test_api_types.py does, and fails when the checked-in file is not what this makes).
set -euo pipefail
frontend=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$frontend")
out=${1:-$frontend/src/api/schema.d.ts}
python=${PY:-$root/.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The settings `make run` serves the schema with; the schema does not depend on the database.
(cd "$root" && DJANGO_SETTINGS_MODULE=config.settings.local "$python" manage.py spectacular --file "$work/schema.yml")
"$frontend/node_modules/.bin/openapi-typescript" "$work/schema.yml" --default-non-nullable false --output "$out" >/dev/null
