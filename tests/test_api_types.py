"""The PWA's API types (frontend/src/api/schema.d.ts) are what the server's OpenAPI schema generates now."""

import difflib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
CHECKED_IN = FRONTEND / "src" / "api" / "schema.d.ts"


def test_the_checked_in_api_types_are_what_the_schema_generates(tmp_path):
    require(GENERATOR.exists(), "openapi-typescript (make test installs frontend/node_modules)")
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        ["bash", str(FRONTEND / "scripts" / "gen-types.sh"), str(generated)],
        check=True,
        env={**os.environ, "PY": sys.executable},
        timeout=120,
    )
    diff = list(
        difflib.unified_diff(
            CHECKED_IN.read_text().splitlines(),
            generated.read_text().splitlines(),
            "checked in",
            "generated",
            lineterm="",
        )
    )
    assert not diff, "The API changed: run `npm run gen:types` in frontend/.\n" + "\n".join(diff[:40])
