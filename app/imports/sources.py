"""A record's own sources: `|`-separated URLs, titles, publishers and resource types.

URLs, publishers and resource types have one entry per source (Total Source Count), but a
title may itself contain `|` ("AsambleaSV | Twitter"), so titles can have more pieces than
there are URLs. The pieces are joined back at the separators that have a space beside them
when exactly the surplus number of such separators exists; otherwise the titles cannot be
aligned, and each source takes its URL as its title (with a warning).
"""

from collections.abc import Mapping
from typing import Any

from app.imports.aiddata_values import resource_kind
from app.imports.common import digest, split_list, text, whole
from app.imports.reading import RowReader
from app.imports.records import Problem, Record

PUBLISHER_LIMIT = 300


def align_titles(raw: str, count: int) -> list[str] | None:
    """`count` titles from the `|`-separated text, or None when they cannot be aligned."""
    if count == 0:
        return []
    pieces = raw.split("|")
    surplus = len(pieces) - count
    if surplus == 0:
        return pieces
    if surplus < 0:
        return None
    for spaced in (_both_sides, _either_side):
        joins = [i for i in range(len(pieces) - 1) if spaced(pieces[i], pieces[i + 1])]
        if len(joins) == surplus:
            return _join(pieces, set(joins))
    return None


def _both_sides(left: str, right: str) -> bool:
    return left.endswith(" ") and right.startswith(" ")


def _either_side(left: str, right: str) -> bool:
    return left.endswith(" ") or right.startswith(" ")


def _join(pieces: list[str], joins: set[int]) -> list[str]:
    titles = [pieces[0]]
    for position, piece in enumerate(pieces[1:]):
        if position in joins:
            titles[-1] += "|" + piece
        else:
            titles.append(piece)
    return titles


class SourceList:
    """Parses one row's source columns into source rows (by key) and citations."""

    def __init__(self, reader: RowReader, dataset_name: str) -> None:
        self.reader = reader
        self.dataset_name = dataset_name
        self.found: dict[str, dict[str, Any]] = {}  # this row's new sources
        self.warnings: list[Problem] = []
        self.keys: dict[str, str] = {}  # URL -> key, each URL hashed once
        # A few dozen publishers and resource types recur on every row: each read once.
        self.publishers: dict[str, str | None] = {}
        self.kinds: dict[str, tuple[str, str | None]] = {}
        # Keys whose source row is already known (set by the caller): the first row that
        # cites a source gives its title, publisher and kind.
        self.seen: Mapping[str, Any] = {}

    def warn(self, column: str, reason: str) -> None:
        r = self.reader
        value = r.raw(column).strip()[:200]
        self.warnings.append(Problem(r.line, r.record, column, value, reason))

    def _entries(self, column: str, count: int) -> list[str]:
        entries = split_list(self.reader.raw(column))
        if entries and len(entries) != count:
            self.warn(column, f"{len(entries)} entries for {count} source URLs: left out")
            return [""] * count
        return entries or [""] * count

    def parse(self, record: Record, locator: str) -> None:
        self.found = {}
        self.warnings = []
        r = self.reader
        urls = split_list(r.raw("Source URLs"))
        stated = r.value("Total Source Count", whole, 0, 100_000)
        if stated is not None and stated != len(urls):
            self.warn("Source URLs", f"{len(urls)} URLs but Total Source Count is {stated}")
        titles = align_titles(r.raw("Source Titles"), len(urls))
        if titles is None:
            self.warn("Source Titles", "titles do not line up with the URLs: URLs used as titles")
            titles = [""] * len(urls)
        publishers = self._entries("Source Publishers", len(urls))
        kinds = self._entries("Source Resource Types", len(urls))
        found = self.found
        for url_raw, title_raw, publisher_raw, kind_raw in zip(
            urls, titles, publishers, kinds, strict=True
        ):
            url = text(url_raw)
            if url:
                key = self.keys.get(url)
                if key is None:
                    key = self.keys[url] = "url-" + digest(url, 32)
            else:
                title = text(title_raw)
                if not title:
                    continue
                key = "doc-" + digest(f"{title}\n{text(publisher_raw) or ''}", 32)
            record.citations.add((key, locator))
            if key not in found and key not in self.seen:
                found[key] = self.source(key, url, title_raw, publisher_raw, kind_raw)

    def source(
        self, key: str, url: str | None, title_raw: str, publisher_raw: str, kind_raw: str
    ) -> dict[str, Any]:
        title = text(title_raw)
        publisher = self.publishers.get(publisher_raw, publisher_raw)
        if publisher is publisher_raw:
            publisher = self.publishers[publisher_raw] = text(publisher_raw)
        if publisher and len(publisher) > PUBLISHER_LIMIT:
            self.warn("Source Publishers", "publisher longer than 300 characters: shortened")
            publisher = publisher[:PUBLISHER_LIMIT]
        kind, note = self.kinds.get(kind_raw) or self.kind(kind_raw)
        return {
            "key": key,
            "kind": kind,
            "title": title or url,
            "publisher": publisher,
            "url": url,
            "note": note,
        }

    def kind(self, kind_raw: str) -> tuple[str, str | None]:
        """A resource type's source kind and note, worked out once per spelling."""
        resource = text(kind_raw)
        note = f"{self.dataset_name} resource type: {resource}" if resource else None
        found = self.kinds[kind_raw] = (resource_kind(resource or "").value, note)
        return found
