"""One attribution for the verdicts' evidence and the report's tables: a call of an API an
SDK itself ships (Google's advertising-id client) is blamed on whoever called it, in the
evidence and in the report's SDK table alike."""

from __future__ import annotations

from pathlib import Path

from harness.reports.digest import digest_trace
from harness.scoring import score
from harness.testing import TraceBuilder
from harness.tracefile import open_trace

STACK = [
    "com.google.android.gms.ads.identifier.AdvertisingIdClient.getAdvertisingIdInfo(A.java:1)",
    "com.example.sdk.analytics.AnalyticsAgent.collect(AnalyticsAgent.java:40)",
    "com.example.news.NewsApp.onCreate(NewsApp.java:12)",
]


def test_the_sdk_table_blames_the_caller_as_the_evidence_does(tmp_path: Path) -> None:
    path = (
        TraceBuilder().header(app="com.example.news").hooks_ready(at=0)
        .call("gms.ad_id", at=100, ret="3f9a1c2e-1234-4abc-9def-0123456789ab", stack=STACK)
        .write(tmp_path / "t.jsonl")
    )
    rule = next(r for r in score(open_trace(path)).rules
                if r.rule == "7.2/pre-consent-collection")
    (evidence,) = rule.evidence
    digest = digest_trace(path, evidence_seqs=[evidence.seq])
    assert digest.error is None
    (row,) = digest.sdks
    # not "gms" (the hooked class's own package): the analytics SDK that called it
    assert evidence.frame is not None and evidence.frame.startswith("com.example.sdk.analytics.")
    assert (row.sdk, row.kind) == (evidence.sdk, evidence.sdk_kind) == (
        "Example Analytics (simulated)", "analytics")
