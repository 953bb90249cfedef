"""Writing figures: the seed's rules (range, periods, scope subject) apply to the API too."""

from sqlalchemy import Table

from app.figures.queries import FIGURES, by_id_or_key
from app.figures.schemas import FigureCreate, FigureRead, FigureUpdate
from app.models import Figure
from app.seed.checks import figure_problems
from app.writes.refs import Refs
from app.writes.resource import Prepared, WriteResource

_table: Table = Figure.__table__  # type: ignore[assignment]


def _prepare(refs: Refs, body: FigureCreate, row_id: int | None) -> Prepared:
    refs.problems(figure_problems(body))
    return Prepared(
        {
            "key": body.key,
            "indicator": body.indicator,
            "label": body.label,
            "value": body.value,
            "value_low": body.value_low,
            "value_high": body.value_high,
            "unit": body.unit,
            "qualifier": body.qualifier,
            "period_start": body.period_start,
            "period_end": body.period_end,
            "base_period_start": body.base_period_start,
            "base_period_end": body.base_period_end,
            "scope": body.scope,
            "strand_code": refs.strand("strand", body.strand),
            "country_iso3": refs.country("country", body.country),
            "organisation_id": refs.organisation("organisation", body.organisation),
            "project_id": refs.project("project", body.project),
            "publisher_id": refs.organisation("publisher", body.publisher),
            "note": body.note,
            "source_id": refs.source("source", body.source),
            "locator": body.locator,
        }
    )


FIGURE_WRITES = WriteResource(
    name="figures",
    label="figure",
    table=_table,
    spec=FIGURES,
    read=FigureRead,
    create=FigureCreate,
    update=FigureUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
)
