"""Prometheus metrics: requests and latency by route template and status, the database pool.

Each application gets its own registry, so two apps in one process (tests) never clash.
The route label is the template (`/v1/projects/{project}`), never the raw path, so the
number of series stays bounded whatever clients ask for; unmatched paths share one label.
"""

from collections.abc import Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

UNMATCHED = "unmatched"
# `_created` series are noise for dashboards and double the output.
disable_created_metrics()  # type: ignore[no-untyped-call]
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class PoolCollector(Collector):
    """The connection pool as it is at scrape time (read, never stored)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self.engine().pool
        readings = {
            "size": ("Connections the pool keeps open.", "size"),
            "checked_out": ("Connections in use by requests now.", "checkedout"),
            "checked_in": ("Idle connections in the pool.", "checkedin"),
            "overflow": ("Connections opened beyond the pool size.", "overflow"),
        }
        for name, (documentation, method) in readings.items():
            read = getattr(pool, method, None)
            if read is None:
                continue
            family = GaugeMetricFamily(f"bri_db_pool_{name}", documentation)
            family.add_metric([], float(read()))
            yield family


class Metrics:
    def __init__(self, engine: Callable[[], Engine]) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "bri_http_requests", "HTTP requests answered.", labels, registry=self.registry
        )
        self.latency = Histogram(
            "bri_http_request_duration_seconds",
            "Time from receiving a request to sending the last byte of its response.",
            labels,
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.in_progress = Gauge(
            "bri_http_requests_in_progress", "Requests being served now.", registry=self.registry
        )
        self.registry.register(PoolCollector(engine))
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def endpoint(self) -> Callable[[Request], Response]:
        def metrics(_request: Request) -> Response:
            return Response(
                generate_latest(self.registry),
                media_type=CONTENT_TYPE_LATEST,
                headers={"Cache-Control": "no-store"},
            )

        return metrics
