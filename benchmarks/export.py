"""A full CSV export, timed end to end, with the server's memory sampled while it streams."""

import http.client
import threading
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from benchmarks.servers import Server

SAMPLE_EVERY_S = 0.05


@dataclass
class Export:
    rows: int
    bytes: int
    seconds: float
    rows_per_s: float
    status: int
    rss_before_mib: float  # the largest process before the export
    rss_peak_mib: float  # the largest process during it

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _largest(server: Server) -> float:
    sizes = server.rss_mib()
    return max(sizes.values()) if sizes else 0.0


def export_csv(server: Server, path: str) -> Export:
    """Downloads `path` once, counting data rows (lines after the header)."""
    before = _largest(server)
    peak = [before]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _largest(server))
            time.sleep(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    parts = urlsplit(server.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    lines = size = 0
    sampler.start()
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Accept": "text/csv"})
        response = conn.getresponse()
        while chunk := response.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
        status = response.status
    finally:
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
        conn.close()
    rows = max(0, lines - 1)
    return Export(
        rows=rows,
        bytes=size,
        seconds=round(seconds, 3),
        rows_per_s=round(rows / seconds, 1),
        status=status,
        rss_before_mib=round(before, 1),
        rss_peak_mib=round(peak[0], 1),
    )
