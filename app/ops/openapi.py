"""`python -m app.ops.openapi` (`make openapi`): writes the served OpenAPI document to
openapi.json, with sorted keys so that every API change is a readable diff in review.

The document is built under the default settings (any BRI_* variable is ignored), since
limits and switches appear in it. `--check` only compares, and fails when they differ.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi.json"


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def default_document() -> dict[str, Any]:
    for name in [name for name in os.environ if name.startswith("BRI_")]:
        del os.environ[name]
    from app.main import create_app
    from app.settings import get_settings

    get_settings.cache_clear()
    return create_app().openapi()


def main(arguments: list[str]) -> int:
    text = render(default_document())
    if arguments == ["--check"]:
        if COMMITTED.exists() and COMMITTED.read_text() == text:
            return 0
        print("openapi.json differs from the served document; run `make openapi`", file=sys.stderr)
        return 1
    COMMITTED.write_text(text)
    print(f"wrote {COMMITTED.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
