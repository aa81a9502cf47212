#!/usr/bin/env bash
# Runs every test: on PostgreSQL when it answers (in CI it must), then the database-sensitive
# tests again on SQLite, the embedded default. Called by `make test`.
set -euo pipefail
: "${PY:=.venv/bin/python}"
: "${TEST_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/test}"
is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

"$PY" -m ruff check .
"$PY" -m ruff format --check .
"$PY" manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Model changes without a migration: run manage.py makemigrations." >&2; exit 1; }
# Known vulnerabilities in .venv and the PWA's lock file; with no source reachable, the repo's snapshot.
"$PY" scripts/audit.py

# The PWA's own unit tests (vitest); `make test` has built it already for the browser tests.
if [[ -f frontend/package.json ]]; then
  (cd frontend && npm test)
fi

# The browser tests drive Debian's Chromium; install it when missing and we can (root with apt).
if [[ ! -x /usr/bin/chromium ]] && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "== Installing Debian's Chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if "$PY" scripts/service_up.py "$TEST_DATABASE_URL"; then
  echo "== Tests on PostgreSQL ($TEST_DATABASE_URL)"
  # One pytest-xdist worker per core (TEST_WORKERS to choose): each has its own test database, Redis
  # database and live server (tests/conftest.py), and the suite takes half the time on two cores.
  DATABASE_URL="$TEST_DATABASE_URL" "$PY" -m pytest -n "${TEST_WORKERS:-auto}" "$@"
  echo "== Database-sensitive tests on SQLite"
  env -u DATABASE_URL "$PY" -m pytest -m dbsensitive -p no:cacheprovider "$@"
elif is_ci; then
  echo "PostgreSQL does not answer at $TEST_DATABASE_URL, and CI requires it." >&2
  exit 1
else
  echo "== PostgreSQL not found at $TEST_DATABASE_URL: every test on SQLite"
  env -u DATABASE_URL "$PY" -m pytest -n "${TEST_WORKERS:-auto}" "$@"
fi
