# The two commands: `make run` (the whole app with demo data) and `make test` (every test).
# Both install what they need into .venv first; nothing is installed by hand.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The machine's PostgreSQL, used by the tests when it answers (and required when CI=true).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test lint bench install install-dev frontend clean messages

# The PWA (frontend/): installed with npm ci from the lock file, rebuilt when a source file changes.
FRONTEND_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print 2>/dev/null)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools

# Stamps re-run pip only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: $(FRONTEND_SOURCES) frontend/node_modules/.installed
	cd frontend && npm run build
	touch $@

frontend: $(if $(wildcard frontend/package.json),frontend/dist/index.html)

run: export DJANGO_SETTINGS_MODULE ?= config.settings.local
run: install frontend
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py check --database default --fail-level ERROR
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py vapid_keys var/vapid.env
	@PORT=$(PORT) $(PY) scripts/welcome.py
	PORT=$(PORT) PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://localhost:$(PORT)} $(VENV)/bin/honcho -e var/vapid.env -f Procfile.dev start

test: install-dev frontend
	@CI="$(CI)" TEST_DATABASE_URL="$(TEST_DATABASE_URL)" PY="$(PY)" bash scripts/test.sh

# The server's words: gather every marked message into diary/locale/{de,es}/LC_MESSAGES/django.po (run it
# after adding or changing one), translate the new entries there, then compile the .mo files (committed).
messages: install-dev
	cd diary && ../$(PY) ../manage.py makemessages -l de -l es --no-obsolete --add-location file
	cd diary && ../$(PY) ../manage.py compilemessages -l de -l es

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
