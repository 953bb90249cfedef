"""The datasets' own source rows (the seed has them; an import creates one that is missing)."""

from typing import Any

from sqlalchemy import Table, select

from app.imports.bulk import Bulk, ChangeRow
from app.models import Source
from app.models.enums import ChangeOp, SourceKind

DATASET_SOURCES: dict[str, dict[str, Any]] = {
    "aiddata-gcdf-3": {
        "kind": SourceKind.dataset.value,
        "title": "Global Chinese Development Finance Dataset, Version 3.0",
        "publisher": "AidData at William & Mary",
        "year": 2023,
        "url": "https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-version-3-0",
        "licence": "ODC-BY 1.0",
    },
    "aei-cgit": {
        "kind": SourceKind.dataset.value,
        "title": "China Global Investment Tracker",
        "publisher": "American Enterprise Institute",
        "url": "https://www.aei.org/china-global-investment-tracker/",
    },
}


def dataset_source_id(bulk: Bulk, key: str, changes: list[ChangeRow]) -> int:
    table: Table = Source.__table__  # type: ignore[assignment]
    found = bulk.session.scalar(select(table.c.id).where(table.c.key == key))
    if found is not None:
        return int(found)
    row = DATASET_SOURCES[key] | {"key": key, "year": DATASET_SOURCES[key].get("year")}
    row.setdefault("licence", None)
    source_id = bulk.insert_returning_ids(table, [row])[key]
    changes.append(("sources", source_id, ChangeOp.create, None, row))
    return source_id
