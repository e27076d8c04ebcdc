"""Read and validate ``hooks/catalog.json`` into a :class:`Catalog`."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.catalog.models import Catalog, CatalogEntry
from harness.errors import CatalogError

#: Where the shipped catalog lives, as an importlib.resources location.
CATALOG_PACKAGE = "harness.hooks"
CATALOG_FILE = "catalog.json"
SUPPORTED_FORMAT = 1


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load a catalog file; with no path, the one shipped in :mod:`harness.hooks` (cached).

    Raises :class:`CatalogError` naming the file, the entry (index and id) and the field.
    """
    if path is None:
        return _shipped_catalog()
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog: {exc.strerror or exc}", path=where) from exc
    return parse_catalog(raw, where)


@functools.lru_cache(maxsize=1)
def _shipped_catalog() -> Catalog:
    # Cached: scoring and the CLI ask for it repeatedly and the models are frozen.
    resource = resources.files(CATALOG_PACKAGE).joinpath(CATALOG_FILE)
    return parse_catalog(resource.read_bytes(), f"{CATALOG_PACKAGE}/{CATALOG_FILE}")


def parse_catalog(raw: bytes, where: str = "<catalog>") -> Catalog:
    """Validate catalog bytes; ``where`` names the source in error messages."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
        doc = json.loads(text)
    except UnicodeDecodeError as exc:
        raise CatalogError("the catalog is not UTF-8", path=where) from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(f"invalid JSON: {exc.msg}", path=where, line=exc.lineno) from exc
    if not isinstance(doc, dict):
        raise CatalogError("expected an object with 'format' and 'entries'", path=where, line=1)
    if doc.get("format") != SUPPORTED_FORMAT:
        raise CatalogError(
            f"unsupported catalog format {doc.get('format')!r}; this consent-harness reads "
            f"format {SUPPORTED_FORMAT}",
            path=where,
            field="format",
        )
    unknown = sorted(set(doc) - {"format", "_source", "entries"})
    if unknown:
        raise CatalogError(f"unknown top-level key(s) {unknown}", path=where, field=unknown[0])
    raw_entries = doc.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise CatalogError("'entries' must be a non-empty list", path=where, field="entries")

    entries = [_entry(i, item, text, where) for i, item in enumerate(raw_entries)]
    _check_unique_ids(entries, text, where)
    _check_overlaps(entries, text, where)
    return Catalog.model_validate(
        {
            "format": SUPPORTED_FORMAT,
            "_source": doc.get("_source"),
            "entries": entries,
            "hash": digest,
        }
    )


def _entry(index: int, item: Any, text: str, where: str) -> CatalogEntry:
    entry_id = item.get("id") if isinstance(item, dict) else None
    label = f"entry {index}" + (f" ({entry_id})" if isinstance(entry_id, str) else "")
    line = _line_of(text, entry_id) if isinstance(entry_id, str) else None
    if not isinstance(item, dict):
        raise CatalogError(f"{label}: expected an object", path=where, field=f"entries[{index}]")
    try:
        return CatalogEntry.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "enum" and loc == "category":
            message = f"unknown category {item.get('category')!r}; {message}"
        raise CatalogError(f"{label}: {message}", path=where, line=line, field=loc or None) from exc


def _check_unique_ids(entries: list[CatalogEntry], text: str, where: str) -> None:
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise CatalogError(
                f"entry {index} ({entry.id}): duplicate id, first used by entry {seen[entry.id]}",
                path=where,
                line=_line_of(text, entry.id, occurrence=2),
                field="id",
            )
        seen[entry.id] = index


def _check_overlaps(entries: list[CatalogEntry], text: str, where: str) -> None:
    """An overload hooked by an entry without a matcher shadows every later entry on it.

    The agent reports the first entry whose matcher holds, so a second entry on the same
    overload is only reachable when every earlier one filters on its arguments.
    """
    unfiltered: dict[tuple[str, str], dict[tuple[str, ...] | None, int]] = {}
    for index, entry in enumerate(entries):
        key = (entry.class_name, entry.method)
        owners = unfiltered.setdefault(key, {})
        mine: list[tuple[str, ...] | None] = (
            [None] if entry.overloads is None else list(entry.overloads)
        )
        for overload in mine:
            clash = owners.get(overload)
            if clash is None and owners and (overload is None or None in owners):
                clash = next(iter(owners.values()))
            if clash is not None:
                shown = "every overload" if overload is None else f"({', '.join(overload)})"
                raise CatalogError(
                    f"entry {index} ({entry.id}): {entry.class_name}.{entry.method} {shown} is "
                    f"already hooked without a matcher by entry {clash} ({entries[clash].id}); "
                    "this entry could never be reported",
                    path=where,
                    line=_line_of(text, entry.id),
                    field="overloads",
                )
        if entry.match is None:
            for overload in mine:
                owners[overload] = index


def _line_of(text: str, entry_id: str, occurrence: int = 1) -> int | None:
    """Line of the n-th ``"id": "<entry_id>"`` in the file, for error messages only."""
    pattern = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(entry_id)))
    for n, found in enumerate(pattern.finditer(text), start=1):
        if n == occurrence:
            return text.count("\n", 0, found.start()) + 1
    return None
