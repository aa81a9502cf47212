"""WhiteNoise hooks for the PWA's files at the site root (no Django imports: settings load this)."""

import re

# Vite's hashed build files (/assets/index-3f9a1c2e.js) and collectstatic's (/static/x.5af66c1b1797.css)
# never change under the same name: browsers may keep them for a year.
IMMUTABLE = re.compile(r"^/assets/.+[.-][0-9A-Za-z_-]{8,}\.\w+$|^/static/.+\.[0-9a-f]{12}\.\w+$")


def immutable_file(path: str, url: str) -> bool:
    return bool(IMMUTABLE.match(url))


def add_headers(headers, path: str, url: str) -> None:
    """The service worker and the manifest are always revalidated, so an update reaches every phone."""
    if url in ("/sw.js", "/manifest.webmanifest", "/registerSW.js", "/index.html"):
        headers["Cache-Control"] = "no-cache"
    if url == "/sw.js":
        headers["Service-Worker-Allowed"] = "/"
    if url.endswith(".webmanifest"):
        headers["Content-Type"] = "application/manifest+json"
