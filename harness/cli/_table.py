"""Plain-text tables for the terminal (no colour codes: CI logs keep them readable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from harness.model import ScenarioResult, Verdict

ARTICLES = ("7.2", "7.4")
#: Widest scenario / app cell; longer names end in an ellipsis, never a silent cut.
NAME_WIDTH = 48
EVIDENCE_LINES = 3


def fit(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters; a cut one ends with "…"."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def expectation(result: ScenarioResult) -> str:
    """``met``, ``MISMATCH (n)`` or ``-`` (no ``expect:``)."""
    if not result.expect:
        return "-"
    return "met" if not result.mismatches else f"MISMATCH ({len(result.mismatches)})"


def verdict_table(results: Sequence[ScenarioResult], ok: Callable[[ScenarioResult], bool]) -> str:
    """Scenario × article verdicts; the verdict, the expectation and the outcome each in
    a column of its own."""
    rows = []
    for r in results:
        arts = {a.article: a.verdict.value for a in r.articles}
        rows.append([fit(r.scenario, NAME_WIDTH), fit(r.package, NAME_WIDTH),
                     *(arts.get(a, "-") for a in ARTICLES),
                     r.verdict.value, expectation(r), "ok" if ok(r) else "FAILED"])
    table = render(rows, ["scenario", "app", "7(2)", "7(4)", "verdict", "expectation", "result"])
    failed = sum(1 for r in results if not ok(r))
    return f"{table}\n\n{len(results) - failed} ok, {failed} failed"


def failure_details(
    results: Sequence[ScenarioResult],
    ok: Callable[[ScenarioResult], bool],
    *,
    evidence: int = EVIDENCE_LINES,
) -> str:
    """For each scenario that did not pass: its mismatches or error, and its failing
    rules with their first evidence lines (what a CI log needs to act on a red run)."""
    out: list[str] = []
    for r in results:
        if ok(r):
            continue
        out.append(f"{r.scenario} ({r.package}): {r.verdict.value}")
        for m in r.mismatches:
            out.append(f"  expectation: {m}")
        if r.error:
            out.append(f"  error: {r.error}")
        named = {m.split(":", 1)[0].strip() for m in r.mismatches}
        for rule in r.rules:
            bad = rule.verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.INCONCLUSIVE)
            if not bad and rule.rule not in named:
                continue
            out.append(f"  {rule.rule} {rule.verdict.value} — {rule.reason}")
            for ev in rule.evidence[:evidence]:
                rel = "" if ev.t_rel_ms is None else f" {ev.t_rel_ms:+.0f} ms"
                out.append(f"      {ev.phase.value}{rel}  {ev.api}  {ev.sdk}"
                           + (f"  {ev.frame}" if ev.frame else ""))
            more = rule.evidence_count - min(evidence, len(rule.evidence))
            if more > 0:
                out.append(f"      … and {more} more")
    return "\n".join(out)
