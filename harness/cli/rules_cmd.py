"""``consent-harness rules [SELECTOR…]`` — the rules the harness knows, and their sources.

For each rule: its id, article, whether it is scored by default, its one-line statement
and the checklist item it implements (docs/scoring.md cites them in full). Selectors
are those of ``score --rules``: ids, globs, articles, packs.
"""

from __future__ import annotations

import json

import click

from harness.scoring.selection import ALL_RULES, DEFAULT_RULE_IDS, select_rules


@click.command("rules")
@click.argument("selectors", nargs=-1, metavar="[SELECTOR]...")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as a JSON list.")
def rules(selectors: tuple[str, ...], as_json: bool) -> None:
    """List the rules: id, article, default or opt-in, statement, checklist source.

    Rules marked opt-in are scored only when chosen, e.g.
    `consent-harness score trace.jsonl --rules default --rules checklist`.
    """
    chosen = select_rules(list(selectors), field="SELECTOR") if selectors else ALL_RULES
    entries = [
        {
            "id": rule.id,
            "article": rule.article,
            "default": rule.id in DEFAULT_RULE_IDS,
            "statement": rule.statement,
            "source": rule.source,
        }
        for rule in chosen
    ]
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    width = max(len(e["id"]) for e in entries)  # type: ignore[arg-type]
    lines = []
    for entry in entries:
        article = str(entry["article"]).replace(".", "(", 1) + ")"
        marker = "default" if entry["default"] else "opt-in"
        lines.append(f"{str(entry['id']).ljust(width)}  {article}  {marker}")
        lines.append(f"    {entry['statement']}")
        lines.append(f"    source: {entry['source']}")
    defaults = sum(1 for e in entries if e["default"])
    lines.append("")
    lines.append(
        f"{len(entries)} rule(s), {defaults} scored by default; choose others with "
        "`score --rules ID|GLOB|ARTICLE|PACK` (packs: default, checklist, all)"
    )
    click.echo("\n".join(lines))
