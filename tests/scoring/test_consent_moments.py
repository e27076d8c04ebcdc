"""The agent's consent moments, derived in one place from what the trace observed
(harness.scoring.consent): the runner's taps, the agent's dialog and click markers."""

from __future__ import annotations

from typing import Any

from harness.model import Marker, MarkerKind
from harness.scoring import build_timeline
from harness.scoring.consent import CLICK_SLACK_MS, with_consent_moments
from harness.ui.matchers import DEFAULT_CONSENT_MATCHERS

PATTERNS = DEFAULT_CONSENT_MATCHERS.patterns()
T0 = 1_700_000_000_000.0


def host(kind: MarkerKind, at: float, **detail: Any) -> Marker:
    return Marker(marker=kind, ts=T0 + at, source="host", detail=detail)


def agent(kind: MarkerKind, at: float, seq: int, **detail: Any) -> Marker:
    return Marker(marker=kind, ts=T0 + at, source="agent", seq=seq, detail=detail)


def scripted_agree() -> list[Marker]:
    """What the runner and the agent write for ``wait_for_consent`` then ``agree``."""
    return [
        host(MarkerKind.LAUNCHED, 0),
        agent(MarkerKind.DIALOG_SHOWN, 400, 3, texts=["用户协议与隐私政策", "同意", "不同意"]),
        host(MarkerKind.CONSENT_SHOWN, 900, texts=["用户协议与隐私政策"]),
        # the runner ticks the box first: its label holds 同意, but not as a whole label
        agent(MarkerKind.VIEW_CLICKED, 1900, 8, text="我已阅读并同意《隐私政策》"),
        host(MarkerKind.CONSENT_GRANTED, 2300, text="同意", tapped_ts=T0 + 2000),
        agent(MarkerKind.VIEW_CLICKED, 2050, 9, text="同意"),
    ]


def test_without_patterns_the_trace_is_read_as_written() -> None:
    markers = scripted_agree()
    assert with_consent_moments(markers, None) == markers


def test_the_agents_moments_come_from_its_markers_and_the_hosts_taps() -> None:
    out = with_consent_moments(scripted_agree(), PATTERNS)
    kinds = [(m.marker.value, m.source) for m in out]
    # each derived moment right after the host marker it pairs with (the rules' order)
    assert kinds[2:6] == [("consent_shown", "host"), ("consent_shown", "agent"),
                          ("view_clicked", "agent"), ("consent_granted", "host")]
    assert kinds[6] == ("consent_granted", "agent")
    shown, granted = out[3], out[6]
    assert (shown.ts, shown.seq, shown.detail["from"]) == (T0 + 400, 3, "dialog_shown")
    assert (granted.ts, granted.seq, granted.detail) == (
        T0 + 2050, 9, {"from": "view_clicked", "text": "同意"})
    timeline = build_timeline(scripted_agree(), patterns=PATTERNS)
    assert timeline.consent.granted_source == "agent"
    assert timeline.consent.granted_ts == T0 + 2050
    assert timeline.consent.shown_ts == T0 + 400


def test_a_click_long_before_the_tap_is_not_the_taps() -> None:
    markers = [
        host(MarkerKind.CONSENT_SHOWN, 0),
        agent(MarkerKind.VIEW_CLICKED, 100, 1, text="同意"),  # another dialog, long before
        host(MarkerKind.CONSENT_GRANTED, 100 + CLICK_SLACK_MS + 600,
             tapped_ts=T0 + 100 + CLICK_SLACK_MS + 500),
    ]
    out = with_consent_moments(markers, PATTERNS)
    assert [m.source for m in out if m.marker is MarkerKind.CONSENT_GRANTED] == ["host"]
    timeline = build_timeline(markers, patterns=PATTERNS)
    assert timeline.consent.granted_source == "host"  # the host's tap, as a fallback


def test_a_refusal_is_paired_with_a_click_on_a_refuse_label() -> None:
    markers = [
        host(MarkerKind.CONSENT_SHOWN, 0),
        host(MarkerKind.CONSENT_REFUSED, 520, tapped_ts=T0 + 500),
        agent(MarkerKind.VIEW_CLICKED, 510, 4, text="同意"),  # not a refuse label
        agent(MarkerKind.VIEW_CLICKED, 530, 5, text="不同意"),
    ]
    out = with_consent_moments(markers, PATTERNS)
    refused = [m for m in out if m.marker is MarkerKind.CONSENT_REFUSED and m.source == "agent"]
    assert [(m.seq, m.detail["text"]) for m in refused] == [(5, "不同意")]


def test_a_session_nobody_scripted_reads_the_clicks_on_an_open_dialog() -> None:
    """``consent-harness trace``: the user at the phone; no consent marker of the host's."""
    markers = [
        host(MarkerKind.LAUNCHED, 0),
        agent(MarkerKind.VIEW_CLICKED, 100, 1, text="OK"),  # no dialog up: nothing
        agent(MarkerKind.DIALOG_SHOWN, 200, 2, texts=["Privacy Policy"]),
        agent(MarkerKind.VIEW_CLICKED, 300, 3, text="Agree"),
        agent(MarkerKind.VIEW_CLICKED, 400, 4, text="OK"),  # the dialog is gone
    ]
    out = with_consent_moments(markers, PATTERNS)
    derived = [(m.marker.value, m.seq) for m in out if m not in markers]
    assert derived == [("consent_shown", 2), ("consent_granted", 3)]


def test_a_kind_the_trace_holds_agent_markers_of_is_not_derived_again() -> None:
    markers = [*scripted_agree(), agent(MarkerKind.CONSENT_GRANTED, 2050, 9)]
    out = with_consent_moments(markers, PATTERNS)
    assert [m.source for m in out if m.marker is MarkerKind.CONSENT_GRANTED].count("agent") == 1
    # and so deriving is idempotent
    assert with_consent_moments(out, PATTERNS) == out
