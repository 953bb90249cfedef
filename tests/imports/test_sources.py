"""A row's sources: publishers and resource types read once per spelling give every source
the same values and every shortened publisher its own warning."""

from pathlib import Path

from app.imports.aiddata import parse_aiddata
from tests.imports.helpers import edited_sample


def _long_publishers(path: Path) -> Path:
    long_name = "  " + "P" * 320 + " "

    def edit(rows: list[dict[str, str]]) -> None:
        for row in rows[:2]:
            urls = row["Source URLs"].split("|")
            row["Source Publishers"] = "|".join([long_name] * len(urls))
            row["Source Resource Types"] = "|".join([" Media Report"] * len(urls))

    return edited_sample(path, edit)


def test_repeated_publishers_and_types_give_the_same_values_and_warnings(
    tmp_path: Path,
) -> None:
    parsed = parse_aiddata(_long_publishers(tmp_path / "publishers.csv"))
    first_two = {record.line for record in parsed.records[:2]}
    keys = {key for record in parsed.records[:2] for key, _ in record.citations}
    sources = [parsed.sources[key] for key in keys if key in parsed.sources]
    assert len(sources) > 2
    assert {source["publisher"] for source in sources} == {"P" * 300}
    assert {(source["kind"], source["note"]) for source in sources} == {
        ("article", "AidData resource type: Media Report")
    }
    shortened = [w for w in parsed.warnings if "publisher longer" in w.reason]
    # One warning per new source, on the line of the row that brought it.
    assert len(shortened) == len(sources)
    assert {w.line for w in shortened} == first_two
