#!/usr/bin/env bash
# Lighthouse (mobile) on the built PWA, served by gunicorn on loopback with the demo data, in Debian's
# Chromium. Prints the performance, accessibility and best-practices scores. `bench/lighthouse.sh / alice@example.com` scores Today as alice
# sees it (signed in first in a Chromium profile
# that Lighthouse then uses). Lighthouse itself is
# installed from the npm registry into var/lighthouse the first time (it is not a project dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8790}"
PAGE="${1:-/signin}"
AS="${2:-}"  # an email address: the page as that demo user sees it, signed in
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export CRAMPWISE_VAR_DIR="${CRAMPWISE_VAR_DIR:-$(mktemp -d)}"
[[ -x node_modules/.bin/lighthouse || -x var/lighthouse/node_modules/.bin/lighthouse ]] ||
  (mkdir -p var/lighthouse && cd var/lighthouse && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12 >/dev/null)
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo --if-empty >/dev/null
.venv/bin/gunicorn config.wsgi --workers 2 --bind "127.0.0.1:$PORT" >"$CRAMPWISE_VAR_DIR/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 3
report="$(mktemp --suffix=.json)"
chrome_flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
keep=()
if [[ -n "$AS" ]]; then
  # Lighthouse keeps the profile's storage (the PWA knows who is signed in from IndexedDB, the server
  # from the session cookie), so the page is scored as that person sees it.
  profile="$(mktemp -d)"
  .venv/bin/python bench/lighthouse_sign_in.py "http://127.0.0.1:$PORT" "$AS" crampwise-demo "$profile"
  chrome_flags="$chrome_flags --user-data-dir=$profile"
  keep=(--disable-storage-reset)
fi
CHROME_PATH=/usr/bin/chromium var/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$PAGE" --quiet \
  --chrome-flags="$chrome_flags" \
  --only-categories=performance,accessibility,best-practices --output=json --output-path="$report" "${keep[@]}"
python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(r["finalDisplayedUrl"], {k: v["score"] for k, v in r["categories"].items()})
metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")
print({k: r["audits"][k]["displayValue"] for k in metrics})
# What cost points: each weighted audit below full marks.
for name, category in r["categories"].items():
    for ref in category["auditRefs"]:
        audit = r["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
            print(f"  {name}: {ref['id']} {audit['score']} {audit.get('displayValue', '')}")
            culprit = "layout-shifts" if ref["id"] == "cumulative-layout-shift" else ref["id"]
            for item in r["audits"][culprit].get("details", {}).get("items", [])[:3]:
                node = item.get("node") or {}
                print("     ", node.get("snippet", ""), node.get("nodeLabel", "")[:80], item.get("score", ""))
PY
