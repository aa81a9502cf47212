#!/usr/bin/env bash
# Lighthouse (mobile) on the built PWA, served by gunicorn on loopback with the demo data, in Debian's
# Chromium. Prints the performance, accessibility and best-practices scores. Lighthouse itself is
# installed from the npm registry into var/lighthouse the first time (it is not a project dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8790}"
PAGE="${1:-/signin}"
export CRAMPWISE_VAR_DIR="${CRAMPWISE_VAR_DIR:-$(mktemp -d)}"
[[ -x node_modules/.bin/lighthouse || -x var/lighthouse/node_modules/.bin/lighthouse ]] ||
  (mkdir -p var/lighthouse && cd var/lighthouse && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12 >/dev/null)
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo --if-empty >/dev/null
.venv/bin/gunicorn config.wsgi --workers 2 --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 3
report="$(mktemp --suffix=.json)"
CHROME_PATH=/usr/bin/chromium var/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$PAGE" --quiet \
  --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
  --only-categories=performance,accessibility,best-practices --output=json --output-path="$report"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print({k: v['score'] for k, v in r['categories'].items()})" "$report"
