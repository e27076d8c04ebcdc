"""Compare a scored scenario with its ``expect:`` block."""

from __future__ import annotations

from collections.abc import Mapping

from harness.model import ArticleVerdict, RuleResult, Verdict


def mismatches(
    expect: Mapping[str, Verdict],
    articles: list[ArticleVerdict],
    rules: list[RuleResult],
) -> list[str]:
    """One human-readable line per expectation that the verdicts do not meet.

    Keys are article ids (``7.2``) or rule ids (``7.2/pre-consent-collection``); an
    unknown key is a mismatch too, so a typo in a suite cannot pass silently.
    """
    actual: dict[str, Verdict] = {a.article: a.verdict for a in articles}
    actual.update({r.rule: r.verdict for r in rules})
    out: list[str] = []
    for key, wanted in expect.items():
        got = actual.get(key)
        if got is None:
            out.append(f"{key}: expected {wanted.value}, but no such article or rule was scored")
        elif got != wanted:
            out.append(f"{key}: expected {wanted.value}, got {got.value}")
    return out


def is_violation(verdict: Verdict, fail_on: Verdict) -> bool:
    """Whether an overall verdict fails a run whose threshold is ``fail_on``."""
    return verdict.severity >= fail_on.severity
