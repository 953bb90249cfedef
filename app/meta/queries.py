from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import (
    Country,
    Event,
    Figure,
    Funding,
    Organisation,
    Project,
    Source,
    Stance,
    Strand,
)
from app.models.enums import SourceKind

COUNTED: dict[str, Any] = {
    "strands": Strand,
    "countries": Country,
    "organisations": Organisation,
    "projects": Project,
    "funding": Funding,
    "figures": Figure,
    "stances": Stance,
    "events": Event,
    "sources": Source,
}


def row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in COUNTED.items()
    }


def dataset_licences(session: Session) -> list[dict[str, Any]]:
    stmt = (
        select(Source.key.label("source"), Source.title, Source.licence, Source.url)
        .where(Source.kind.in_([SourceKind.dataset, SourceKind.article]))
        .order_by(Source.key)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def ping(session: Session) -> None:
    session.execute(text("SELECT 1"))
