"""``consent-harness score TRACE.jsonl`` — re-score a recorded trace, no device needed.

Exit status: 0 when no rule failed or errored, 1 when one did (a fail, or an ``error``
verdict: an incomplete recording must not let a CI job go green), 2 on bad input
(missing or malformed trace; the message names the line and field).
"""

from __future__ import annotations

from pathlib import Path

import click

from harness.model.enums import Verdict
from harness.model.verdict import RuleResult, ScoreReport
from harness.scoring import score as score_trace
from harness.scoring.selection import select_rules
from harness.tracefile import open_trace

#: Exit status when a rule fails or errors.
EXIT_VIOLATION = 1
_SHOWN_EVIDENCE = 5


@click.command("score")
@click.argument("trace", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option(
    "--evidence",
    "shown",
    type=click.IntRange(min=0),
    default=_SHOWN_EVIDENCE,
    show_default=True,
    help="Evidence lines printed per failed rule.",
)
@click.option(
    "--rules",
    "selectors",
    multiple=True,
    metavar="GLOB",
    help="Rules to score: an id, a glob (7.4/*), an article (7.2) or a pack (default, "
    "checklist, all); repeat or comma-separate. Default: the default rules "
    "(`consent-harness rules` lists them).",
)
@click.pass_context
def score(
    ctx: click.Context, trace: Path, as_json: bool, shown: int, selectors: tuple[str, ...]
) -> None:
    """Score a trace against Articles 7(2) and 7(4) and print the verdicts.

    Values stay as recorded: a redacted trace cannot be un-redacted here.
    """
    rules = select_rules(list(selectors) if selectors else None, field="--rules")
    report = score_trace(open_trace(trace), rules=rules)
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(render(report, shown=shown))
    failed = any(r.verdict in (Verdict.FAIL, Verdict.ERROR) for r in report.rules)
    ctx.exit(EXIT_VIOLATION if failed else 0)


def render(report: ScoreReport, *, shown: int = _SHOWN_EVIDENCE) -> str:
    """The human-readable report: context, verdict table, articles, failure evidence."""
    lines = [f"trace:    {report.trace or '(in memory)'}"]
    lines.append(
        f"app:      {report.package}"
        + (f"   scenario: {report.scenario}" if report.scenario else "")
    )
    lines.append(f"consent:  {_consent_line(report)}")
    phases = ", ".join(f"{n} {p.value}" for p, n in report.phases.items() if n)
    lines.append(f"calls:    {report.calls}" + (f" ({phases})" if phases else ""))
    if not report.redacted:
        lines.append("values:   NOT redacted (recorded with --reveal-values)")
    for problem in report.problems:
        lines.append(f"problem:  {problem}")
    for gap in report.unreached:
        lines.append(f"not seen: {gap}")
    if report.hooks_failed:
        lines.append(f"hooks failed: {', '.join(report.hooks_failed)}")
    lines.append("")

    header = ("RULE", "ARTICLE", "VERDICT", "EVIDENCE", "TOP SDKS")
    rows = [
        (r.rule, _article(r.article), r.verdict.value.upper(), str(r.evidence_count), _sdks(r))
        for r in report.rules
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        lines.append(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
        )
    lines.append("")
    articles = "   ".join(
        f"article {_article(a.article)}: {a.verdict.value.upper()}" for a in report.articles
    )
    lines.append(f"{articles}   overall: {report.verdict.value.upper()}")

    for result in report.rules:
        if result.verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.INCONCLUSIVE):
            lines.append("")
            lines.append(f"{result.rule} — {result.verdict.value}: {result.reason}")
            lines.extend(_evidence_lines(result, shown))
    return "\n".join(lines)


def _consent_line(report: ScoreReport) -> str:
    consent = report.consent
    parts = []
    ref = consent.reference_ts

    def at(ts: float) -> str:
        return f"{ts - ref:+.0f} ms" if ref is not None else f"ts {ts:.0f}"

    parts.append(
        "dialog shown " + at(consent.shown_ts)
        if consent.shown_ts is not None
        else "no consent dialog seen"
    )
    if consent.granted_ts is not None:
        parts.append(f"granted at {consent.granted_ts:.0f} ({consent.granted_source})")
    if consent.refused_ts is not None:
        parts.append(f"refused {at(consent.refused_ts)} ({consent.refused_source})")
    for ts in consent.withdrawn_ts:
        parts.append(f"withdrawn {at(ts)}")
    if consent.granted_ts is None and consent.refused_ts is None:
        parts.append("no decision")
    return "; ".join(parts)


def _article(article: str) -> str:
    major, _, minor = article.partition(".")
    return f"{major}({minor})" if minor else article


def _sdks(result: RuleResult, top: int = 3) -> str:
    ranked = list(result.sdks.items())[:top]
    text = ", ".join(f"{name} {count}" for name, count in ranked)
    return text + (", …" if len(result.sdks) > top else "")


def _evidence_lines(result: RuleResult, shown: int) -> list[str]:
    lines = []
    for ev in result.evidence[:shown]:
        rel = "" if ev.t_rel_ms is None else f"{ev.t_rel_ms:+.0f} ms"
        threw = f"  threw {ev.threw}" if ev.threw else ""
        lines.append(
            f"  seq {ev.seq if ev.seq is not None else '-':>6}  {ev.phase.value:<12} {rel:>10}  "
            f"{ev.api}  {ev.sdk}  {ev.frame or ''}{threw}"
        )
    more = result.evidence_count - min(shown, len(result.evidence))
    if more > 0:
        lines.append(f"  … and {more} more")
    return lines
