"""Factories for run summaries and traces used by the report tests.

Traces are built from the harness.model records directly and written as JSON Lines, the
format of DESIGN §4.3.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from harness.model import (
    AppInfo,
    ArticleVerdict,
    CallEvent,
    Category,
    Evidence,
    Marker,
    MarkerKind,
    Phase,
    RuleResult,
    RunSummary,
    ScenarioResult,
    TraceEnd,
    TraceHeader,
    TraceIssue,
    Verdict,
)
from harness.model.trace import ScenarioRef, record_json
from harness.reports import blame as blame_mod

BASE = 1_700_000_000_000.0
PKG = "com.example.news"
HOSTILE = "<script>alert(\"x\")</script> & 'q' $(rm -rf /); `id` | > /tmp/p"
FIXED_TIME = "2024-01-01T00:00:00Z"

FW = "android.telephony.TelephonyManager.getImei(TelephonyManager.java:1)"


def header(package: str = PKG, **kw: Any) -> TraceHeader:
    fields: dict[str, Any] = {
        "created_at": FIXED_TIME,
        "harness_version": "0.0.0-test",
        "scenario": ScenarioRef(name="News app — agree", file="scenarios/news/agree.yaml"),
        "device": {"model": "sim-phone", "serial": "127.0.0.1:5555", "sdk_int": "33"},
        "app": AppInfo(package=package, version_name="1.0", version_code=1),
        "catalog_hash": "sha256:cafe",
        "scope": [Category.LOCATION],
    }
    fields.update(kw)
    return TraceHeader(**fields)


def call(
    seq: int,
    dt: float,
    api: str,
    category: Category,
    frames: list[str],
    *,
    thread: str = "main",
    args: Iterable[str] = (),
) -> CallEvent:
    return CallEvent(
        seq=seq,
        ts=BASE + dt,
        pid=4242,
        tid=1,
        thread=thread,
        api=api,
        category=category,
        args=list(args),
        stack=[FW, *frames],
    )


def marker(kind: MarkerKind, dt: float, source: str = "agent") -> Marker:
    return Marker(marker=kind, ts=BASE + dt, source=source)  # type: ignore[arg-type]


def write_trace(path: Path, records: Iterable[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        for rec in records:
            fh.write(record_json(rec) + b"\n")
    return path


#: What the agent says after installing its hooks (harness/hooks/agent.js, init).
HOOKS_READY_DETAIL: dict[str, Any] = {
    "installed": 212,
    "failed": [{"id": "location.gnss_status", "error": "method not found: x.y"}],
    "absent": ["gms.ad_id", "oaid.msa"],
    "skipped": ["telephony.device_id"],
    "late": [{"id": "accounts.all", "reason": "class loader appeared at +900 ms"}],
}


def agree_trace() -> list[Any]:
    return [
        header(),
        marker(MarkerKind.LAUNCHED, 0),
        Marker(marker=MarkerKind.HOOKS_READY, ts=BASE + 1, source="agent", seq=0,
               detail=HOOKS_READY_DETAIL),
        call(
            0,
            200,
            "telephony.imei",
            Category.DEVICE_ID,
            [
                "com.example.analytics.Tracker.collect(Tracker.java:10)",
                "com.example.news.App.onCreate(App.java:5)",
            ],
        ),
        call(
            1,
            300,
            "wifi.mac",
            Category.NETWORK_ID,
            ["com.example.push.PushClient.register(PushClient.java:20)"],
            thread="push-1",
        ),
        marker(MarkerKind.CONSENT_SHOWN, 500),
        marker(MarkerKind.CONSENT_GRANTED, 2000),
        call(
            2,
            2500,
            "location.last_known",
            Category.LOCATION,
            ["com.example.maps.MapView.locate(MapView.java:7)"],
        ),
        call(
            3,
            3000,
            "telephony.imei",
            Category.DEVICE_ID,
            ["com.example.news.MainActivity.onResume(MainActivity.java:9)"],
        ),
        TraceEnd(ts=BASE + 4000, reason="completed", events=4),
    ]


def refuse_trace() -> list[Any]:
    return [
        header(scenario=ScenarioRef(name="News app — refuse")),
        marker(MarkerKind.LAUNCHED, 0),
        marker(MarkerKind.CONSENT_SHOWN, 400),
        call(
            0,
            450,
            "telephony.imei",
            Category.DEVICE_ID,
            ["com.example.analytics.Tracker.collect(Tracker.java:10)"],
        ),
        marker(MarkerKind.CONSENT_REFUSED, 1500),
        call(
            1,
            1800,
            "clipboard.get",
            Category.CLIPBOARD,
            ["com.example.ads.AdLoader.fill(AdLoader.java:3)"],
        ),
        TraceIssue(ts=BASE + 1900, level="warning", code="seq_gap", message="2 events lost"),
        TraceEnd(ts=BASE + 2500, reason="completed", events=2),
    ]


def evidence(
    seq: int,
    dt: float,
    api: str,
    cat: Category,
    phase: Phase,
    sdk: str,
    frame: str,
    rel: float | None,
) -> Evidence:
    return Evidence(
        seq=seq,
        ts=BASE + dt,
        api=api,
        category=cat,
        phase=phase,
        t_rel_ms=rel,
        sdk=sdk,
        sdk_kind="analytics",
        frame=frame,
        thread="main",
    )


def rule(
    rule_id: str,
    verdict: Verdict,
    reason: str,
    ev: list[Evidence] | None = None,
    count: int | None = None,
) -> RuleResult:
    ev = ev or []
    return RuleResult(
        rule=rule_id,
        article=rule_id.split("/")[0],
        statement=f"{rule_id} holds",
        verdict=verdict,
        reason=reason,
        evidence=ev,
        evidence_count=len(ev) if count is None else count,
        sdks={e.sdk: 1 for e in ev},
    )


def articles(v72: Verdict, v74: Verdict) -> list[ArticleVerdict]:
    return [
        ArticleVerdict(article="7.2", verdict=v72, rules=["7.2/pre-consent-collection"]),
        ArticleVerdict(article="7.4", verdict=v74, rules=["7.4/sensitive-before-consent"]),
    ]


def make_summary() -> RunSummary:
    ev_agree = [
        evidence(
            0,
            200,
            "telephony.imei",
            Category.DEVICE_ID,
            Phase.PRE_CONSENT,
            "ExampleAnalytics",
            "com.example.analytics.Tracker.collect(Tracker.java:10)",
            -1800,
        ),
        evidence(
            1,
            300,
            "wifi.mac",
            Category.NETWORK_ID,
            Phase.PRE_CONSENT,
            "ExamplePush",
            "com.example.push.PushClient.register(PushClient.java:20)",
            -1700,
        ),
    ]
    ev_refuse = [
        evidence(
            1,
            1800,
            "clipboard.get",
            Category.CLIPBOARD,
            Phase.POST_REFUSAL,
            "ExampleAds",
            "com.example.ads.AdLoader.fill(AdLoader.java:3)",
            300,
        ),
    ]
    scenarios = [
        ScenarioResult(
            scenario="News app — agree",
            file="scenarios/news/agree.yaml",
            line=1,
            package=PKG,
            device="127.0.0.1:5555",
            verdict=Verdict.FAIL,
            articles=articles(Verdict.FAIL, Verdict.PASS),
            rules=[
                rule(
                    "7.2/pre-consent-collection",
                    Verdict.FAIL,
                    "2 personal-information calls before consent",
                    ev_agree,
                    count=7,
                ),
                rule("7.4/sensitive-before-consent", Verdict.PASS, "no named capability used"),
            ],
            duration_s=12.5,
        ),
        ScenarioResult(
            scenario="News app — refuse",
            file="scenarios/news/refuse.yaml",
            line=1,
            package=PKG,
            device="127.0.0.1:5555",
            verdict=Verdict.FAIL,
            articles=articles(Verdict.FAIL, Verdict.PASS),
            rules=[
                rule(
                    "7.2/post-refusal-collection",
                    Verdict.FAIL,
                    "1 personal-information call after refusal",
                    ev_refuse,
                ),
                rule("7.4/sensitive-before-consent", Verdict.PASS, "no named capability used"),
            ],
            expect={"7.2": Verdict.FAIL, "7.4": Verdict.PASS},
            duration_s=8.0,
        ),
        ScenarioResult(
            scenario="Maps — no dialog",
            file="scenarios/maps.yaml",
            package="com.example.maps",
            verdict=Verdict.INCONCLUSIVE,
            articles=articles(Verdict.INCONCLUSIVE, Verdict.NOT_APPLICABLE),
            rules=[
                rule(
                    "7.2/pre-consent-collection",
                    Verdict.INCONCLUSIVE,
                    "no consent dialog found within 15 s",
                )
            ],
            duration_s=16.0,
        ),
        ScenarioResult(
            scenario="Crashy — device lost",
            package="com.example.crashy",
            verdict=Verdict.ERROR,
            articles=articles(Verdict.ERROR, Verdict.ERROR),
            rules=[],
            error="device lost: 127.0.0.1:5557 vanished during 'observe'",
        ),
        ScenarioResult(
            scenario="News app — regression",
            file="scenarios/news/regress.yaml",
            package=PKG,
            verdict=Verdict.FAIL,
            articles=articles(Verdict.PASS, Verdict.FAIL),
            rules=[
                rule(
                    "7.4/sensitive-before-consent",
                    Verdict.FAIL,
                    "location used before consent",
                    [ev_agree[0]],
                )
            ],
            expect={"7.2": Verdict.PASS, "7.4": Verdict.PASS},
            duration_s=3.0,
        ),
    ]
    return RunSummary(
        harness_version="0.0.0-test",
        started_at="2024-01-01T00:00:00Z",
        finished_at="2024-01-01T00:01:00Z",
        scenarios=scenarios,
        counts={"scenarios": 5, "fail": 3},
    )


def fake_attribute(stack: list[str], app_package: str, hooked_class: str | None = None) -> Any:
    """A deterministic stand-in for harness.catalog.attribute (golden files must not move
    when the SDK table grows)."""

    class _A:
        def __init__(self, sdk: str, kind: str | None, frame: str | None = None) -> None:
            self.sdk, self.kind, self.frame = sdk, kind, frame

    for frame in stack:
        if frame.startswith(("android.", "java.")):
            continue
        if hooked_class and frame.startswith(hooked_class + "."):
            continue  # the hooked API itself is the callee (as the real attributor says)
        if frame.startswith(app_package + "."):
            return _A("app", "app", frame)
        return _A(".".join(frame.split(".")[:3]), "third_party", frame)
    return _A("unknown", None)


@pytest.fixture
def stable_attribution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blame_mod, "catalog_attribute", lambda: fake_attribute)


@pytest.fixture
def summary() -> RunSummary:
    return make_summary()


@pytest.fixture
def traces(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "src"
    return {
        "News app — agree": write_trace(src / "agree.jsonl", agree_trace()),
        "News app — refuse": write_trace(src / "refuse.jsonl", refuse_trace()),
    }


HOSTILE_FRAME = "</script><script>alert(2)</script>.x(\"'&amp;)"
HOSTILE_SDK = "<img src=x onerror=alert(3)>"
HOSTILE_CTRL = "bell\x07nul\x00esc\x1b]]>end"


def hostile_trace(package: str) -> list[Any]:
    return [
        header(
            package=package,
            device={"model": HOSTILE, "serial": "<b>s</b>", "x\"'": "</dd><script>1</script>"},
            app=AppInfo(package=package, version_name=HOSTILE),
            catalog_hash=HOSTILE,
        ),
        marker(MarkerKind.CONSENT_SHOWN, 100),
        CallEvent(
            seq=0,
            ts=BASE + 150,
            pid=1,
            tid=1,
            thread=HOSTILE,
            api=HOSTILE,
            category=Category.DEVICE_ID,
            args=[HOSTILE, HOSTILE_CTRL],
            stack=[HOSTILE_FRAME, HOSTILE + ".Evil.run(Evil.java:1)"],
        ),
        TraceIssue(ts=BASE + 200, level="error", code=HOSTILE, message=HOSTILE_FRAME),
        TraceEnd(ts=BASE + 300, reason="error", message=HOSTILE),
    ]


def hostile_summary() -> RunSummary:
    ev = Evidence(
        seq=0,
        ts=BASE + 150,
        api=HOSTILE,
        category=Category.DEVICE_ID,
        phase=Phase.PRE_CONSENT,
        t_rel_ms=None,
        thread=HOSTILE,
        sdk=HOSTILE_SDK,
        sdk_kind=HOSTILE,
        frame=HOSTILE_FRAME,
        args=[HOSTILE, HOSTILE_CTRL],
    )
    r = RuleResult(
        rule=HOSTILE,
        article="7.2",
        statement=HOSTILE,
        verdict=Verdict.FAIL,
        reason=HOSTILE + HOSTILE_CTRL,
        evidence=[ev],
        evidence_count=1,
        sdks={HOSTILE_SDK: 1},
    )
    result = ScenarioResult(
        scenario=HOSTILE,
        file="../../<b>x</b>.yaml",
        line=3,
        package=HOSTILE,
        device=HOSTILE_SDK,
        verdict=Verdict.FAIL,
        articles=[ArticleVerdict(article="7.2", verdict=Verdict.FAIL, rules=[HOSTILE])],
        rules=[r],
        expect={HOSTILE: Verdict.PASS},
        mismatches=[HOSTILE],
        error=None,
        trace="../../../etc/passwd",
    )
    return RunSummary(
        harness_version=HOSTILE,
        started_at=HOSTILE,
        finished_at=HOSTILE_CTRL,
        scenarios=[result],
        counts={HOSTILE: 1},
    )


# The golden run folder holds a scenario file (scenarios/<slug>/scenario.yaml), which the
# consent-harness pytest plugin would otherwise collect and run as a scenario.
collect_ignore_glob = ["golden/*"]
