"""Rule subtleties that users rely on, on traces built with harness.testing."""

from __future__ import annotations

from harness.model import Phase, Verdict
from harness.scoring import RULES_BY_ID, requested_categories, score
from harness.scoring.engine import EVIDENCE_LIMIT
from harness.scoring.selection import ALL_RULES_BY_ID
from harness.testing import TraceBuilder


def _verdicts(builder: TraceBuilder) -> dict[str, Verdict]:
    return {r.rule: r.verdict for r in score(builder.build()).rules}


def test_whole_trace_is_pre_consent_when_consent_never_given() -> None:
    report = score(TraceBuilder().shown(at=0).call("telephony.imei", at=9000).build())
    assert report.phases[Phase.PRE_CONSENT] == 1
    pre = report.rules[0]
    assert pre.verdict is Verdict.FAIL
    assert "never given" in pre.reason
    assert pre.evidence[0].t_rel_ms is None


def test_same_millisecond_as_grant_counts_after_unless_agent_saw_it_first() -> None:
    b = TraceBuilder().shown(at=0)
    b.call("telephony.imei", at=1000, seq=10)
    b.marker("consent_granted", at=1000, seq=11)
    b.call("telephony.imei", at=1000, seq=12)
    report = score(b.build())
    assert report.phases == {Phase.PRE_CONSENT: 1, Phase.POST_CONSENT: 1, Phase.POST_REFUSAL: 0}


def test_grant_after_refusal_ends_post_refusal() -> None:
    b = TraceBuilder().shown(at=0).refuse(at=100)
    b.call("telephony.imei", at=200).grant(at=300).call("telephony.imei", at=400)
    report = score(b.build())
    assert report.phases[Phase.POST_REFUSAL] == 1 and report.phases[Phase.POST_CONSENT] == 1


def test_evidence_is_capped_but_counted_with_sdks() -> None:
    b = TraceBuilder().header(app="com.example.news").shown(at=0)
    for i in range(EVIDENCE_LIMIT + 15):
        b.call("telephony.imei", at=i, sdk="com.example.sdk.ads" if i % 2 else None)
    pre = score(b.build()).rules[0]
    assert len(pre.evidence) == EVIDENCE_LIMIT
    assert pre.evidence_count == EVIDENCE_LIMIT + 15
    assert pre.sdks == {"app": 18, "Example Ads (simulated)": 17}


def test_threw_calls_count_and_say_so() -> None:
    b = TraceBuilder().shown(at=0).call("telephony.imei", at=5, threw="java.lang.SecurityException")
    pre = score(b.build()).rules[0]
    assert pre.verdict is Verdict.FAIL
    assert pre.evidence[0].threw == "java.lang.SecurityException"


def test_permission_request_for_a_non_sensitive_permission_is_not_7_4_sensitive() -> None:
    b = (
        TraceBuilder()
        .shown(at=0)
        .call("permission.activity", at=5, args=["[android.permission.READ_PHONE_STATE]", "1"])
    )
    v = _verdicts(b)
    assert v["7.4/sensitive-before-consent"] is Verdict.PASS
    assert v["7.4/permission-before-consent"] is Verdict.FAIL


def test_requested_categories_reads_common_renderings() -> None:
    cats = requested_categories(
        ['[android.permission.CAMERA, "android.permission.RECORD_AUDIO"]', "ACCESS_FINE_LOCATION"]
    )
    assert {c.value for c in cats} == {"camera", "microphone", "location"}
    assert requested_categories(["CAMERAS", "1"]) == set()


def test_failed_permission_hook_makes_permission_rule_inconclusive() -> None:
    b = TraceBuilder().hooks_ready(failed=["permission.activity_compat"]).shown(at=1).grant(at=2)
    v = _verdicts(b)
    assert v["7.4/permission-before-consent"] is Verdict.INCONCLUSIVE
    assert v["7.2/pre-consent-collection"] is Verdict.PASS


def test_unknown_failed_hook_counts_against_every_rule() -> None:
    b = TraceBuilder().hooks_ready(failed=["vendor.mystery"]).shown(at=1).grant(at=2)
    v = _verdicts(b)
    assert v["7.2/pre-consent-collection"] is Verdict.INCONCLUSIVE
    assert v["7.4/bundled-install"] is Verdict.INCONCLUSIVE
    assert v["7.2/no-consent-prompt"] is Verdict.PASS  # decided by the dialog alone


def test_trace_without_end_record_is_an_error_not_a_pass() -> None:
    b = TraceBuilder().shown(at=1).grant(at=2).end(None)
    assert _verdicts(b)["7.2/pre-consent-collection"] is Verdict.ERROR


def test_an_interrupted_recording_never_passes() -> None:
    # The run was cut short: what came after the interrupt was never seen (DESIGN §4.5).
    b = TraceBuilder().shown(at=1).grant(at=2).end("interrupted")
    assert _verdicts(b)["7.2/pre-consent-collection"] is Verdict.ERROR


def test_rule_check_is_the_rule_alone() -> None:
    trace = TraceBuilder().shown(at=0).call("telephony.imei", at=5).build()
    result = RULES_BY_ID["7.2/pre-consent-collection"].check(trace)
    assert result.verdict is Verdict.FAIL  # type: ignore[attr-defined]


def test_install_window_is_two_seconds() -> None:
    def install_after(ms: float) -> Verdict:
        b = TraceBuilder().shown(at=0).grant(at=1)
        b.marker("host_action", at=1000, source="host", text="Install")
        b.call("install.session.create", at=1000 + ms)
        return _verdicts(b)["7.4/bundled-install"]

    assert install_after(1999) is Verdict.PASS
    assert install_after(2001) is Verdict.FAIL


def test_a_checklist_rule_is_a_pure_function_of_the_trace_too() -> None:
    from harness.scoring.checklist import BackgroundCollection

    b = TraceBuilder().shown(at=0).grant(at=10)
    b.step("background", at=100, seconds=30)
    b.call("telephony.imei", at=9000)
    rule = BackgroundCollection()
    result = rule.check(b.build())
    assert result.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    lenient = BackgroundCollection(grace_ms=10_000).check(b.build())
    assert lenient.verdict is Verdict.PASS  # type: ignore[attr-defined]
    # the defaults are untouched by a checklist rule's existence
    assert "7.2/background-collection" not in RULES_BY_ID


def test_observed_calls_are_never_evidence_on_their_own() -> None:
    # Sensitive but not collection (DESIGN §4.1 "observed"): a camera-id list or a
    # provider lookup before consent is recorded, and fails nothing.
    b = TraceBuilder().shown(at=0)
    b.call("camera2.camera_ids", at=5)
    b.call("location.providers", at=6)
    b.grant(at=100)
    verdicts = _verdicts(b)
    assert verdicts["7.2/pre-consent-collection"] is Verdict.PASS
    assert verdicts["7.4/sensitive-before-consent"] is Verdict.PASS
    # …while the same trace with a real collection call still fails.
    b.call("telephony.imei", at=7)
    assert _verdicts(b)["7.2/pre-consent-collection"] is Verdict.FAIL


def test_score_takes_rule_ids_globs_and_articles() -> None:
    trace = TraceBuilder().shown(at=0).call("telephony.imei", at=5).grant(at=9).build()
    assert [r.rule for r in score(trace, rules="7.4/bundled-install").rules] == [
        "7.4/bundled-install"
    ]
    assert {r.rule for r in score(trace, rules="7.2/*").rules} == {
        rule for rule in ALL_RULES_BY_ID if rule.startswith("7.2/")
    }  # a glob reaches the opt-in checklist rules too
    assert all(r.rule.startswith("7.4/") for r in score(trace, rules=["7.4"]).rules)
