"""Full-text search on projects, per database.

SQLite uses the FTS5 table `projects_fts` (kept in step by triggers); PostgreSQL uses an
expression GIN index over the same text. Both are created by the initial migration.

Ranks are lower-is-better and depend only on the row and the query, never on the rest
of the table, so a ranked search pages with keyset cursors on (rank, id) and a write
between pages cannot move other rows across the cursor. That rules out FTS5's bm25 (its
weights depend on the whole corpus); SQLite instead counts the matched words that FTS5
marks in each column (title words count double). PostgreSQL's ts_rank is per document.
"""

import re
from typing import Any

from sqlalchemy import ColumnElement, Double, cast, column, func, literal_column, select, table

from app.models import Project

# Spelled exactly as the index expression, so PostgreSQL uses the GIN index.
PG_DOCUMENT: ColumnElement[Any] = literal_column(
    "to_tsvector('english', coalesce(projects.title, '') || ' ' || "
    "coalesce(projects.description, ''))"
)
ENGLISH: ColumnElement[Any] = literal_column("'english'")
FTS = table("projects_fts", column("rowid"), column("projects_fts"))
# highlight() inserts one marker per matched phrase, so the growth in length is the count.
SQLITE_HITS: ColumnElement[Any] = literal_column(
    "(2 * (coalesce(length(highlight(projects_fts, 0, char(1), '')), 0) "
    "- length(coalesce(projects.title, ''))) "
    "+ coalesce(length(highlight(projects_fts, 1, char(1), '')), 0) "
    "- length(coalesce(projects.description, '')))"
)


def fts5_query(text: str) -> str:
    """User words as quoted FTS5 terms (all must match), so no input is FTS5 syntax."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{word}"' for word in words) or '""'


def _fts_match(text: str) -> ColumnElement[bool]:
    return FTS.c.projects_fts.op("MATCH")(fts5_query(text))


def project_match(text: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        return Project.id.in_(select(FTS.c.rowid).where(_fts_match(text)))
    return PG_DOCUMENT.op("@@")(func.websearch_to_tsquery(ENGLISH, text))


def project_rank(text: str, dialect: str) -> ColumnElement[Any]:
    """Lower is better on both databases; a function of the row and the query only."""
    if dialect == "sqlite":
        return (
            select(-SQLITE_HITS)
            .where(_fts_match(text), FTS.c.rowid == Project.id)
            .scalar_subquery()
        )
    # float8 so the value survives the cursor's JSON round trip exactly.
    return -cast(func.ts_rank(PG_DOCUMENT, func.websearch_to_tsquery(ENGLISH, text)), Double)
