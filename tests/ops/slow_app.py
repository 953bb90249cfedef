"""The API plus one test-only route that stays in flight until the test lets it finish.

Served by `tests/ops/test_shutdown.py` with the same uvicorn options as `bri serve`.
"""

import os
import time
from pathlib import Path

from app.main import create_app

app = create_app()
FOLDER = Path(os.environ.get("OPS_TEST_SLOW_FOLDER", "."))


@app.get("/test/slow", include_in_schema=False)
def slow() -> dict[str, str]:
    (FOLDER / "started").touch()
    for _ in range(600):  # at most a minute, so a broken test cannot hang forever
        if (FOLDER / "release").exists():
            return {"finished": "yes"}
        time.sleep(0.1)
    return {"finished": "gave up waiting"}
