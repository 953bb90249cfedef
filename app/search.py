"""Full-text search on projects, per database.

SQLite uses the FTS5 table `projects_fts` (kept in step by triggers); PostgreSQL uses an
expression GIN index over the same text. Both are created by the initial migration.
"""

import re
from typing import Any

from sqlalchemy import ColumnElement, column, func, literal_column, select, table

from app.models import Project

# Spelled exactly as the index expression, so PostgreSQL uses the GIN index.
PG_DOCUMENT: ColumnElement[Any] = literal_column(
    "to_tsvector('english', coalesce(projects.title, '') || ' ' || "
    "coalesce(projects.description, ''))"
)
ENGLISH: ColumnElement[Any] = literal_column("'english'")
FTS = table("projects_fts", column("rowid"), column("rank"), column("projects_fts"))


def fts5_query(text: str) -> str:
    """User words as quoted FTS5 terms (all must match), so no input is FTS5 syntax."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{word}"' for word in words) or '""'


def project_match(text: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        hits = select(FTS.c.rowid).where(FTS.c.projects_fts.op("MATCH")(fts5_query(text)))
        return Project.id.in_(hits)
    return PG_DOCUMENT.op("@@")(func.websearch_to_tsquery(ENGLISH, text))


def project_rank(text: str, dialect: str) -> ColumnElement[Any]:
    """Lower is better on both databases."""
    if dialect == "sqlite":
        return (
            select(FTS.c.rank)
            .where(FTS.c.projects_fts.op("MATCH")(fts5_query(text)), FTS.c.rowid == Project.id)
            .scalar_subquery()
        )
    return -func.ts_rank(PG_DOCUMENT, func.websearch_to_tsquery(ENGLISH, text))
