"""Graceful shutdown: on SIGTERM the server stops accepting, finishes what is in flight, exits."""

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.ops.logs import logging_config
from app.ops.server import uvicorn_options
from app.settings import Settings
from tests.ops.support import ROOT, free_port, server_environment, wait_until_up

RUN = (
    "import sys, uvicorn\n"
    "from app.ops.server import uvicorn_options\n"
    "from app.settings import get_settings\n"
    "uvicorn.run('tests.ops.slow_app:app', host='127.0.0.1', port=int(sys.argv[1]),"
    " **uvicorn_options(get_settings()))\n"
)


def wait_for(condition: object, what: str) -> None:
    for _ in range(600):
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def refuses_connections(url: str) -> bool:
    try:
        httpx.get(f"{url}/healthz", timeout=2)
    except httpx.TransportError:
        return True
    return False


def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_environment(
        f"sqlite:///{tmp_path}/unused.db", {"OPS_TEST_SLOW_FOLDER": str(tmp_path)}
    )
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-c", RUN, str(port)], env=env, cwd=ROOT, stdout=sink, stderr=sink
        )
    try:
        wait_until_up(url, server, log)
        answers: list[httpx.Response] = []
        request = threading.Thread(
            target=lambda: answers.append(httpx.get(f"{url}/test/slow", timeout=60))
        )
        request.start()
        wait_for((tmp_path / "started").exists, "the slow request to start")

        server.send_signal(signal.SIGTERM)
        # New connections are refused while the slow request is still being served.
        wait_for(lambda: refuses_connections(url), "the server to stop accepting")
        assert server.poll() is None
        assert not answers

        (tmp_path / "release").touch()
        request.join(timeout=60)
        # uvicorn re-raises the signal once it has shut down, so the exit is by SIGTERM.
        assert server.wait(timeout=60) in (0, -signal.SIGTERM)
    finally:
        if server.poll() is None:
            server.kill()
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (200, {"finished": "yes"})
    ]
    messages = [json.loads(line)["message"] for line in log.read_text().splitlines()]
    assert "Shutting down" in messages
    assert f"Finished server process [{server.pid}]" in messages
    access = [m for m in messages if m.startswith("GET /test/slow")]
    assert access == ["GET /test/slow 200"]


def test_uvicorn_runs_with_the_operational_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRI_GRACEFUL_TIMEOUT_S", "12")
    monkeypatch.setenv("BRI_KEEP_ALIVE_S", "90")
    options = uvicorn_options(Settings())
    assert options.pop("log_config") == logging_config("INFO")
    assert options == {
        "access_log": False,
        "proxy_headers": False,
        "server_header": False,
        "timeout_graceful_shutdown": 12,
        "timeout_keep_alive": 90,
    }
