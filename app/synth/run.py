"""`bri synth` end to end: a bulk-load connection, one transaction, then fresh statistics."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.synth.load import Progress, SynthResult, synthesize

# Safe to drop for the length of one load: synth writes only references that exist,
# and a crash mid-load leaves the transaction unfinished, so nothing half-written stays.
SQLITE_BULK = [
    "PRAGMA foreign_keys = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA cache_size = -262144",  # 256 MiB of page cache while indexes grow
    "PRAGMA temp_store = MEMORY",
]
SQLITE_NORMAL = ["PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL"]


@contextmanager
def bulk_session(engine: Engine) -> Iterator[Session]:
    """A session in one transaction, on a connection tuned for a bulk load."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # PRAGMA foreign_keys is ignored inside a transaction: set it first
            conn.commit()
            for pragma in SQLITE_BULK:
                conn.exec_driver_sql(pragma)
            conn.commit()
        try:
            # The session joins the connection's transaction, which commits on success.
            with conn.begin(), Session(bind=conn) as session:
                yield session
        finally:
            if sqlite:
                for pragma in SQLITE_NORMAL:
                    conn.exec_driver_sql(pragma)
                conn.commit()


def run_synth(
    engine: Engine, projects: int, seed: int, progress: Progress | None = None
) -> SynthResult:
    with bulk_session(engine) as session:
        result = synthesize(session, projects, seed, progress=progress)
    analyse(engine)
    return result


def analyse(engine: Engine) -> None:
    """Fresh planner statistics, so the first queries after a bulk load use the indexes."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
