"""The checklist rules (issue 13) on golden traces, and the properties they promise.

Each ``golden/checklist/NAME.jsonl`` has a ``NAME.expected.json`` beside it: what it is
about, the verdict of every checklist rule, and optionally evidence counts and SDKs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.model import Verdict
from harness.model.trace import CallEvent
from harness.scoring import score
from harness.scoring.checklist import CHECKLIST_RULES, ExcessiveFrequency
from harness.scoring.selection import ALL_RULES
from harness.testing import T0, TraceBuilder
from harness.tracefile import MemoryTrace, open_trace

GOLDEN = Path(__file__).parent / "golden" / "checklist"
CASES = sorted(p.name.removesuffix(".jsonl") for p in GOLDEN.glob("*.jsonl"))
OUTCOMES = {
    v.value for v in (Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE, Verdict.NOT_APPLICABLE)
}


def _expected(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))


@cache
def _memory(name: str) -> MemoryTrace:
    """A golden trace in memory: ``NAME`` here, or ``../NAME`` among the seven's."""
    trace = open_trace(GOLDEN / f"{name}.jsonl")
    return MemoryTrace(header=trace.header, body=tuple(trace.records()))


@pytest.mark.parametrize("name", CASES)
def test_golden_trace(name: str) -> None:
    expected = _expected(name)
    report = score(open_trace(GOLDEN / f"{name}.jsonl"), rules=CHECKLIST_RULES)
    by_rule = {r.rule: r for r in report.rules}
    got = {rule: result.verdict.value for rule, result in by_rule.items()}
    assert got == expected["rules"], {r: by_rule[r].reason for r in by_rule}
    for rule, count in expected.get("counts", {}).items():
        assert by_rule[rule].evidence_count == count, by_rule[rule].evidence
    for rule, sdks in expected.get("sdks", {}).items():
        assert by_rule[rule].sdks == sdks


def test_goldens_cover_pass_fail_inconclusive_and_not_applicable_of_every_rule() -> None:
    seen: dict[str, set[str]] = {rule.id: set() for rule in CHECKLIST_RULES}
    for name in CASES:
        for rule, verdict in _expected(name)["rules"].items():
            seen[rule].add(verdict)
    for rule, verdicts in seen.items():
        assert verdicts == OUTCOMES, (rule, verdicts)


def test_every_rule_has_article_statement_and_checklist_source() -> None:
    for rule in ALL_RULES:
        assert rule.article in ("7.2", "7.4") and rule.id.startswith(rule.article + "/")
        assert rule.statement.endswith(".") and len(rule.statement) < 200
        assert rule.source
    for rule in CHECKLIST_RULES:
        assert "认定方法" in rule.source or "164号" in rule.source


def test_a_rule_scores_many_traces_without_carrying_state_over() -> None:
    burst = _memory("frequency_burst")
    first = score(burst, rules=CHECKLIST_RULES)
    score(_memory("frequency_steady"), rules=CHECKLIST_RULES)
    again = score(burst, rules=CHECKLIST_RULES)
    assert first.rules == again.rules


def test_frequency_evidence_names_the_rate_the_limit_and_the_sdk() -> None:
    report = score(_memory("frequency_burst"), rules=CHECKLIST_RULES)
    freq = next(r for r in report.rules if r.rule == "7.2/excessive-frequency")
    assert "telephony.imei: 15 calls within 1 s (limit 10/s)" in freq.reason
    assert "Example Ads (simulated)" in freq.reason
    assert freq.evidence[0].api == "telephony.imei" and freq.evidence[0].seq is not None


def test_a_caller_raises_a_limit() -> None:
    lenient = ExcessiveFrequency(api_per_second=20)
    (result,) = score(_memory("frequency_burst"), rules=(lenient,)).rules
    assert result.verdict is Verdict.PASS
    with pytest.raises(TypeError, match="per_fortnight"):
        ExcessiveFrequency(per_fortnight=1)


def test_background_evidence_is_the_late_call_only() -> None:
    report = score(_memory("background_collect"), rules=CHECKLIST_RULES)
    bg = next(r for r in report.rules if r.rule == "7.2/background-collection")
    assert [e.api for e in bg.evidence] == ["location.last_known"]
    assert bg.sdks == {"Example Analytics (simulated)": 1}


def test_the_background_span_starts_when_home_was_pressed_not_when_the_step_ended() -> None:
    # the runner writes the step marker at the end of the step, with ``since``
    trace = (TraceBuilder().shown(at=0).grant(at=100)
             .call("settings.secure.android_id", at=7_000)
             .step("background", at=10_100, seconds=10.0, since=T0 + 100.0)
             .build())
    (bg,) = score(trace, rules=["7.2/background-collection"]).rules
    assert bg.verdict.value == "fail"  # 6.9 s into the background, past the 5 s grace
    assert [e.api for e in bg.evidence] == ["settings.secure.android_id"]


def test_reask_evidence_is_the_marker_that_came_back() -> None:
    report = score(_memory("reask_prompt_next_launch"), rules=CHECKLIST_RULES)
    reask = next(r for r in report.rules if r.rule == "7.4/re-ask-after-refusal")
    assert [e.api for e in reask.evidence] == ["marker:permission_prompt"]
    assert "on a later launch" in reask.reason and "location" in reask.reason


# --------------------------------------------------------------------- properties

_ALL_GOLDEN = CASES + sorted(f"../{p.stem}" for p in GOLDEN.parent.glob("*.jsonl"))
_WITH_CALLS = [n for n in _ALL_GOLDEN if any(isinstance(r, CallEvent) for r in _memory(n).body)]


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(_WITH_CALLS), data=st.data())
def test_removing_calls_never_turns_pass_into_fail(name: str, data: st.DataObject) -> None:
    trace = _memory(name)
    keep = data.draw(st.lists(st.booleans(), min_size=len(trace.body), max_size=len(trace.body)))
    fewer = MemoryTrace(
        header=trace.header,
        body=tuple(
            r for r, k in zip(trace.body, keep, strict=True) if k or not isinstance(r, CallEvent)
        ),
    )
    before = {r.rule: r.verdict for r in score(trace, rules=ALL_RULES).rules}
    after = {r.rule: r.verdict for r in score(fewer, rules=ALL_RULES).rules}
    for rule, verdict in before.items():
        if verdict is Verdict.PASS:
            assert after[rule] is not Verdict.FAIL, rule


_APIS = ["telephony.imei", "telephony.device_id", "location.last_known"]
_LIMITS = st.fixed_dictionaries(
    {
        "api_per_second": st.integers(1, 12),
        "api_per_minute": st.integers(1, 60),
        "category_per_second": st.integers(1, 15),
        "category_per_minute": st.integers(1, 80),
    }
)


@settings(max_examples=200, deadline=None)
@given(
    calls=st.lists(st.tuples(st.sampled_from(_APIS), st.integers(0, 90_000)), max_size=60),
    limits=_LIMITS,
    raise_by=_LIMITS,
    shuffle=st.booleans(),
)
def test_raising_a_frequency_limit_never_turns_pass_into_fail(
    calls: list[tuple[str, int]], limits: dict[str, int], raise_by: dict[str, int], shuffle: bool
) -> None:
    # In time order, or as delivered late (a real agent's threads interleave a little).
    b = TraceBuilder().shown(at=0).grant(at=1)
    for api, at in calls if shuffle else sorted(calls, key=lambda c: c[1]):
        b.call(api, at=at)
    trace = b.build()
    higher = {k: limits[k] + raise_by[k] for k in limits}
    (low,) = score(trace, rules=(ExcessiveFrequency(**limits),)).rules
    (high,) = score(trace, rules=(ExcessiveFrequency(**higher),)).rules
    if low.verdict is Verdict.PASS:
        assert high.verdict is not Verdict.FAIL
    assert high.evidence_count <= low.evidence_count


def test_scenario_options_override_defaults_and_bad_values_name_the_field() -> None:
    # The trace header carries no scenario options yet (docs/scoring.md "Rule options"):
    # the reader is duck-typed so the runner can add them without a change here.
    from types import SimpleNamespace

    from harness.errors import InputError
    from harness.scoring.checklist._common import number, rule_options

    rid = "7.2/excessive-frequency"
    header = SimpleNamespace(scenario=SimpleNamespace(options={rid: {"api_per_second": 50}}))
    options = rule_options(header, rid)  # type: ignore[arg-type]
    assert number(options, "api_per_second", 10, rid) == 50
    assert number(options, "api_per_minute", 100, rid) == 100
    assert rule_options(_memory("frequency_burst").header, rid) == {}
    with pytest.raises(InputError, match=r"options\.7\.2/excessive-frequency\.api_per_second"):
        number({"api_per_second": float("nan")}, "api_per_second", 10, rid)
    with pytest.raises(InputError, match="must be a mapping"):
        rule_options(SimpleNamespace(scenario=SimpleNamespace(options={rid: 3})), rid)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(
    calls=st.lists(st.tuples(st.sampled_from(_APIS), st.integers(0, 130_000)), max_size=80),
    limits=_LIMITS,
)
def test_frequency_counts_match_a_brute_force_count(
    calls: list[tuple[str, int]], limits: dict[str, int]
) -> None:
    """Ground truth from outside the counter: every window recounted from scratch."""
    ordered_calls = sorted(calls, key=lambda c: c[1])
    b = TraceBuilder().shown(at=0).grant(at=1)
    for api, at in ordered_calls:
        b.call(api, at=at)
    (result,) = score(b.build(), rules=(ExcessiveFrequency(**limits),)).rules
    category = {"telephony.imei": "d", "telephony.device_id": "d", "location.last_known": "l"}

    def over(i: int, same: str, width: int, limit: int) -> bool:
        api, at = ordered_calls[i]
        key = api if same == "api" else category[api]
        seen = ordered_calls[: i + 1]
        n = sum(
            1
            for other, t in seen
            if (other if same == "api" else category[other]) == key and at - width < t <= at
        )
        return n > limit

    expected = sum(
        1
        for i in range(len(ordered_calls))
        if over(i, "api", 1000, limits["api_per_second"])
        or over(i, "api", 60_000, limits["api_per_minute"])
        or over(i, "cat", 1000, limits["category_per_second"])
        or over(i, "cat", 60_000, limits["category_per_minute"])
    )
    assert result.evidence_count == expected
