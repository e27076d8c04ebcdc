"""``consent-harness catalog``: list the sensitive APIs the agent hooks."""

from __future__ import annotations

import json

import click

from harness.catalog import CatalogEntry, load_catalog
from harness.model.enums import Category

_CATEGORIES = [c.value for c in Category]


def _short(type_name: str) -> str:
    # Parameter packages make rows unreadably wide; the class column already says where.
    return type_name.rpartition(".")[2]


def _signature_lines(entry: CatalogEntry) -> list[str]:
    base = f"{entry.class_name}.{entry.method}"
    if entry.overloads is None:
        return [f"{base}(…)"]
    return [f"{base}({', '.join(_short(t) for t in params)})" for params in entry.overloads]


def _table(entries: list[CatalogEntry]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    for entry in entries:
        permission = (entry.permission or "-").removeprefix("android.permission.")
        # observed: recorded and shown, never evidence on its own (docs/scoring.md)
        category = entry.category.value + (" (observed)" if entry.observed else "")
        for n, signature in enumerate(_signature_lines(entry)):
            if n == 0:
                rows.append((entry.id, category, signature, permission))
            else:
                rows.append(("", "", signature, ""))
    header = ("ID", "CATEGORY", "CLASS.METHOD(PARAMS)", "PERMISSION")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


@click.command("catalog")
@click.option(
    "--category",
    type=click.Choice(_CATEGORIES),
    default=None,
    help="Only entries of this category.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of entries.")
def catalog(category: str | None, as_json: bool) -> None:
    """List the sensitive-API catalog: what is hooked and what a call means."""
    loaded = load_catalog()
    entries = list(loaded.entries)
    if category is not None:
        entries = loaded.by_category(Category(category))
    if as_json:
        payload = [e.as_json() for e in entries]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(_table(entries))
    observed = sum(1 for e in entries if e.observed)
    click.echo(f"\n{len(entries)} of {len(loaded)} entries ({observed} observed: recorded, "
               f"never evidence alone); catalog sha256 {loaded.hash[:16]}")
