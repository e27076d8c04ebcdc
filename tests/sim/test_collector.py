"""The sim SDKs' uploads: ``SdkSpec.send`` reaches the generated app, only where an SDK
sends, and the loopback collector it sends to is framework code the simulator ships."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.sim.appbuild import generate_app_sources
from harness.sim.apps import spec_paths
from harness.sim.appspec import AppSpec, SdkSpec

JAVA = Path(__file__).resolve().parents[2] / "harness" / "sim" / "java"


def _spec(**sdk: object) -> AppSpec:
    return AppSpec.model_validate({
        "package": "com.example.sendtest", "label": "t",
        "consent": {"dialog": "custom"}, "sdks": [sdk],
    })


def test_send_reaches_the_sdk_options_and_none_changes_nothing() -> None:
    sending = "".join(generate_app_sources(_spec(kind="analytics", send="tls")).values())
    assert 'android.sim.SdkOptions.with(opts("0", "0"), "send", "tls")' in sending
    quiet = "".join(generate_app_sources(_spec(kind="analytics")).values())
    assert "SdkOptions" not in quiet and 'AnalyticsAgent.init(ctx, opts("0", "0"))' in quiet


def test_only_an_sdk_that_sends_accepts_send() -> None:
    with pytest.raises(ValidationError, match="only the analytics SDK sends"):
        SdkSpec(kind="push", send="plain")
    with pytest.raises(ValidationError):
        SdkSpec(kind="analytics", send="carrier-pigeon")  # type: ignore[arg-type]


def test_one_bundled_app_sends_before_consent_and_one_after() -> None:
    from harness.sim.appbuild import load_spec

    sends = {load_spec(p).package: [s for s in load_spec(p).sdks if s.send != "none"]
             for p in spec_paths()}
    assert [s.start for s in sends["com.example.news"]] == ["on_create"]
    assert [s.start for s in sends["com.example.compliant"]] == ["after_consent"]


def test_the_collector_never_writes_and_imports_nothing_of_the_harness() -> None:
    source = (JAVA / "android" / "sim" / "Collector.java").read_text(encoding="utf-8")
    assert "getOutputStream" not in source  # an answer would be bytes the app did not send
    assert "harness" not in source.replace("harness's", "")
