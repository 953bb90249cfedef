"""Prometheus metrics by route template and status; one JSON log line per request."""

import json
import logging
import sys

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.ops.logs import REQUEST_ID, JsonFormatter, logging_config


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def labels(method: str, route: str, status: str) -> tuple[tuple[str, str], ...]:
    return (("method", method), ("route", route), ("status", status))


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    client.get("/v1/projects/beidou")
    client.get("/v1/projects/beidou")
    client.get("/v1/projects/no-such-project")
    client.get("/v1/strands", params={"colour": "red"})
    client.get("/not/a/route/at/all")
    found = samples(client)
    detail = "/v1/projects/{project}"
    assert found[("bri_http_requests_total", labels("GET", detail, "200"))] == 2
    assert found[("bri_http_requests_total", labels("GET", detail, "404"))] == 1
    assert found[("bri_http_requests_total", labels("GET", "/v1/strands", "400"))] == 1
    assert found[("bri_http_requests_total", labels("GET", "unmatched", "404"))] == 1
    assert found[("bri_http_request_duration_seconds_count", labels("GET", detail, "200"))] == 2
    # No series is named after a raw path.
    assert not [key for key in found if "beidou" in str(key) or "not/a/route" in str(key)]


def test_metrics_include_the_pool_and_requests_in_progress(client: TestClient) -> None:
    found = samples(client)
    names = {name for name, _ in found}
    assert {
        "bri_db_pool_size",
        "bri_db_pool_checked_out",
        "bri_db_pool_checked_in",
        "bri_db_pool_overflow",
        "bri_http_requests_in_progress",
        "process_resident_memory_bytes",
    } <= names
    # Only the scrape itself is in progress while it is served.
    assert found[("bri_http_requests_in_progress", ())] == 1


def test_each_request_logs_one_line_with_its_route_status_and_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        client.get("/v1/strands/digital", headers={"X-Request-ID": "req-42"})
    lines = [r for r in caplog.records if r.name == "app.access"]
    assert len(lines) == 1
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert isinstance(entry.pop("duration_ms"), float)
    entry.pop("time")
    assert entry == {
        "level": "INFO",
        "logger": "app.access",
        "message": "GET /v1/strands/{code} 200",
        "request_id": "req-42",
        "method": "GET",
        "route": "/v1/strands/{code}",
        "path": "/v1/strands/digital",
        "status": 200,
    }


def test_other_log_lines_carry_the_current_request_id() -> None:
    record = logging.LogRecord("app.x", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    token = REQUEST_ID.set("abc")
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(token)
    assert (entry["message"], entry["request_id"], entry["level"]) == (
        "hello you",
        "abc",
        "WARNING",
    )


def test_an_exception_is_one_json_line_with_its_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "app.x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_the_logging_config_silences_uvicorn_access_and_uses_json() -> None:
    config = logging_config("WARNING")
    assert config["root"] == {"handlers": ["stderr"], "level": "WARNING"}
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
    assert config["formatters"]["json"]["()"] is JsonFormatter
