"""Plain-text tables for the terminal (no colour codes: CI logs keep them readable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from harness.model import ScenarioResult

ARTICLES = ("7.2", "7.4")


def render(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def verdict_table(results: Sequence[ScenarioResult], ok: Callable[[ScenarioResult], bool]) -> str:
    """Scenario × article verdicts, with the expectation outcome."""
    rows = []
    for r in results:
        arts = {a.article: a.verdict.value for a in r.articles}
        if r.expect:
            expectation = "met" if not r.mismatches else f"MISMATCH ({len(r.mismatches)})"
        else:
            expectation = "-"
        rows.append([r.scenario[:48], r.package, *(arts.get(a, "-") for a in ARTICLES),
                     r.verdict.value, expectation, "ok" if ok(r) else "FAILED"])
    table = render(rows, ["scenario", "app", "7(2)", "7(4)", "overall", "expect", "result"])
    failed = sum(1 for r in results if not ok(r))
    return f"{table}\n\n{len(results) - failed} ok, {failed} failed"
