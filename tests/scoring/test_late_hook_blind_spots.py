"""Hooks installed late (docs/internals.md, "Late hooks"): a class an app ships is hooked
when a class loader that has it exists. One hooked after its class had already run is a
blind spot for its category — never a pass the harness did not see."""

from __future__ import annotations

from typing import Any

from harness.model import MarkerKind, Verdict
from harness.scoring import score
from harness.testing import TraceBuilder


def _trace(late: list[dict[str, Any]], resolved: list[str]) -> TraceBuilder:
    return (
        TraceBuilder().header(app="com.example.news")
        .hooks_ready(at=0)
        .shown(at=100)
        .marker(MarkerKind.HOOKS_READY, at=180, phase="late", via="sweep",
                loader="java.net.URLClassLoader", late=late, resolved=resolved,
                installed=3, failed=[])
        .grant(at=1000)
        .call("location.last_known", at=1200, ret="39.9,116.4")
    )


def _verdict(builder: TraceBuilder, rule: str) -> Verdict:
    return next(r for r in score(builder.build()).rules if r.rule == rule).verdict


def test_a_hook_installed_after_its_class_ran_makes_its_category_inconclusive() -> None:
    late = [{"id": "gms.ad_id", "category": "device_id", "reason": "class already initialised"}]
    builder = _trace(late, resolved=[])
    assert _verdict(builder, "7.2/pre-consent-collection") is Verdict.INCONCLUSIVE
    report = score(builder.build())
    assert "gms.ad_id" in report.hooks_failed
    # a category the late hook does not watch keeps its verdict
    assert _verdict(builder, "7.4/sensitive-before-consent") is Verdict.PASS


def test_hooks_resolved_before_their_class_ran_leave_no_blind_spot() -> None:
    builder = _trace([], resolved=["gms.ad_id", "oaid.msa"])
    assert _verdict(builder, "7.2/pre-consent-collection") is Verdict.PASS
    assert score(builder.build()).hooks_failed == []


def test_a_violation_seen_stays_a_fail_despite_the_blind_spot() -> None:
    late = [{"id": "gms.ad_id", "category": "device_id"}]
    builder = _trace(late, resolved=[]).call("telephony.imei", at=150, ret="861234567890123")
    assert _verdict(builder, "7.2/pre-consent-collection") is Verdict.FAIL
