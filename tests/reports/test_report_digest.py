"""The trace digest behind the timeline and the SDK table."""

from __future__ import annotations

from pathlib import Path

from harness.model import Category, MarkerKind, Phase, TraceEnd
from harness.reports.digest import BUCKETS, MAX_MARKERS_PER_KIND, digest_trace
from tests.reports.conftest import (
    BASE,
    agree_trace,
    call,
    header,
    marker,
    refuse_trace,
    write_trace,
)


def test_agree_trace_counts_and_phases(tmp_path: Path) -> None:
    d = digest_trace(write_trace(tmp_path / "t.jsonl", agree_trace()), evidence_seqs=[0, 99])
    assert d.error is None
    assert d.calls == 4
    assert d.granted_ts == BASE + 2000 and d.anchor_label == "consent granted"
    assert d.by_phase == {"pre_consent": 2, "post_consent": 2}
    assert sum(sum(v) for v in d.buckets.values()) == 4
    assert all(len(v) == BUCKETS for v in d.buckets.values())
    assert list(d.stacks) == [0]  # only the evidence call's stack is kept
    assert d.end is not None and d.end.reason == "completed"


def test_refusal_is_the_anchor_without_a_grant(tmp_path: Path) -> None:
    d = digest_trace(write_trace(tmp_path / "t.jsonl", refuse_trace()))
    assert d.anchor_label == "consent refused"
    assert d.by_phase == {"pre_consent": 1, "post_refusal": 1}
    assert d.issues_total == 1


def test_agent_marker_wins_over_host_and_withdrawal_turns_post_refusal(tmp_path: Path) -> None:
    records = [
        header(),
        marker(MarkerKind.CONSENT_GRANTED, 1000, source="host"),
        call(0, 1050, "a", Category.DEVICE_ID, ["com.x.y.Z.m(Z.java:1)"]),  # before agent grant
        marker(MarkerKind.CONSENT_GRANTED, 1100, source="agent"),
        call(1, 1200, "a", Category.DEVICE_ID, ["com.x.y.Z.m(Z.java:1)"]),
        marker(MarkerKind.CONSENT_WITHDRAWN, 1300),
        call(2, 1400, "a", Category.DEVICE_ID, ["com.x.y.Z.m(Z.java:1)"]),
        TraceEnd(ts=BASE + 1500, reason="completed"),
    ]
    d = digest_trace(write_trace(tmp_path / "t.jsonl", records))
    assert d.granted_ts == BASE + 1100
    assert [d.phase(BASE + t) for t in (1050, 1200, 1400)] == [
        Phase.PRE_CONSENT,
        Phase.POST_CONSENT,
        Phase.POST_REFUSAL,
    ]
    spans = d.phase_segments()
    assert [s[2] for s in spans] == [Phase.PRE_CONSENT, Phase.POST_CONSENT, Phase.POST_REFUSAL]
    assert spans[0][1] == BASE + 1100 and spans[-1][1] == d.t1


def test_markers_are_capped(tmp_path: Path) -> None:
    records = [header()] + [marker(MarkerKind.PERMISSION_PROMPT, i) for i in range(500)]
    d = digest_trace(write_trace(tmp_path / "t.jsonl", records))
    assert len(d.markers) == MAX_MARKERS_PER_KIND


def test_real_attribution_names_unknown_code_by_package(tmp_path: Path) -> None:
    records = [
        header(),
        call(0, 10, "a", Category.DEVICE_ID, ["org.unlisted.sdk.Thing.run(Thing.java:3)"]),
        call(1, 20, "a", Category.DEVICE_ID, ["com.example.news.Main.go(Main.java:3)"]),
    ]
    d = digest_trace(write_trace(tmp_path / "t.jsonl", records))
    names = {row.sdk: row.kind for row in d.sdks}
    assert names["org.unlisted.sdk"] == "unknown"
    assert names["app"] == "app"


def test_broken_trace_gives_an_error_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("not json\n")
    d = digest_trace(path)
    assert d.error is not None and "t.jsonl:1" in d.error
    assert digest_trace(tmp_path / "missing.jsonl").error is not None
