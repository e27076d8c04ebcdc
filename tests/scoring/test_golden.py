"""Golden traces: small hand-written traces with their expected verdicts beside them.

Each ``golden/NAME.jsonl`` has a ``golden/NAME.expected.json`` saying what it is about
and which verdict every rule, article and the whole trace must get (optionally also
evidence counts, per-SDK counts and phase counts).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.model import Verdict
from harness.scoring import RULES, score
from harness.tracefile import open_trace

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name.removesuffix(".jsonl") for p in GOLDEN.glob("*.jsonl"))


def test_every_golden_trace_has_expectations() -> None:
    assert CASES
    for name in CASES:
        assert (GOLDEN / f"{name}.expected.json").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_golden_trace(name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
    report = score(open_trace(GOLDEN / f"{name}.jsonl"))
    by_rule = {r.rule: r for r in report.rules}

    got = {rule: result.verdict.value for rule, result in by_rule.items()}
    assert got == expected["rules"], {r: by_rule[r].reason for r in by_rule}
    assert {a.article: a.verdict.value for a in report.articles} == expected["articles"]
    assert report.verdict.value == expected["verdict"]
    for rule, count in expected.get("counts", {}).items():
        assert by_rule[rule].evidence_count == count, by_rule[rule].evidence
    for rule, sdks in expected.get("sdks", {}).items():
        assert by_rule[rule].sdks == sdks
    if "phases" in expected:
        assert {p.value: n for p, n in report.phases.items()} == expected["phases"]


def test_golden_traces_cover_every_outcome_of_every_rule() -> None:
    """pass / fail / inconclusive for every rule, not_applicable where it exists."""
    seen: dict[str, set[str]] = {rule.id: set() for rule in RULES}
    for name in CASES:
        expected = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
        for rule, verdict in expected["rules"].items():
            seen[rule].add(verdict)
    outcomes = {Verdict.PASS.value, Verdict.FAIL.value, Verdict.INCONCLUSIVE.value}
    for rule, verdicts in seen.items():
        assert outcomes <= verdicts, (rule, verdicts)
    for rule in ("7.2/post-refusal-collection", "7.4/unrelated-function"):
        assert "not_applicable" in seen[rule]


def test_evidence_of_a_golden_failure_names_call_phase_time_and_sdk() -> None:
    report = score(open_trace(GOLDEN / "sdk_before_consent.jsonl"))
    pre = next(r for r in report.rules if r.rule == "7.2/pre-consent-collection")
    first = pre.evidence[0]
    assert (first.seq, first.phase.value, first.t_rel_ms, first.api) == (
        0,
        "pre_consent",
        -3500.0,
        "telephony.imei",
    )
    assert first.sdk == "Example Ads (simulated)"
    assert first.frame == "com.example.sdk.ads.AdLoader.init(AdLoader.java:12)"
