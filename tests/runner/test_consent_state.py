"""What the runner records of the consent dialog itself — its checkboxes and refuse
choice, the ticks a user must make to agree, and the screen a refusal leaves — on real
sim apps through the real adb and Frida (the sim specs are the ground truth)."""

from __future__ import annotations

from pathlib import Path

from harness.device import Device
from harness.model import MarkerKind
from harness.runner import run_scenario
from tests.runner.test_scenario_run import markers, scenario


def _host(trace: Path, kind: MarkerKind) -> list:  # type: ignore[type-arg]
    return [m for m in markers(trace, kind) if m.source == "host"]


def _taps(trace: Path) -> list[str]:
    """Why the runner tapped, in order."""
    return [m.detail["why"] for m in _host(trace, MarkerKind.HOST_ACTION)
            if m.detail.get("action") == "tap"]


def test_a_pre_ticked_box_is_recorded_as_shown_and_fails_implicit_consent(
    tmp_path: Path, device: Device
) -> None:
    sc = scenario(tmp_path, """
name: notes agree
app: com.example.notes
steps: [{wait_for_consent: {timeout: 15}}, agree, {observe: 1}]
expect: {"7.2/implicit-consent": fail}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.mismatches == [], result
    trace = tmp_path / "out" / "trace.jsonl"
    (shown,) = _host(trace, MarkerKind.CONSENT_SHOWN)
    assert shown.detail["checkboxes"] == [
        {"text": "我已阅读并同意《隐私政策》", "checkable": True, "checked": True}]
    assert shown.detail["refuse_choice"] is True
    # nothing to tick: the box came ticked
    assert _taps(trace) == ["agree"]


def test_agreeing_ticks_an_unticked_box_first_and_the_app_then_consents(
    tmp_path: Path, device: Device
) -> None:
    sc = scenario(tmp_path, """
name: compliant agree
app: com.example.compliant
steps: [{wait_for_consent: {timeout: 15}}, agree, {observe: 1}]
expect: {"7.2/implicit-consent": pass}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.mismatches == [], result
    trace = tmp_path / "out" / "trace.jsonl"
    assert _taps(trace) == ["tick consent checkbox", "agree"]
    # the app's agree button did its work (it ignores taps while the box is unticked)
    assert [m.source for m in markers(trace, MarkerKind.CONSENT_GRANTED)].count("agent") == 1


def test_the_screen_a_refusal_leaves_is_recorded_once_settled(
    tmp_path: Path, device: Device
) -> None:
    sc = scenario(tmp_path, """
name: shop refuse
app: com.example.shop
steps: [{wait_for_consent: {timeout: 15}}, refuse, {observe: 1}]
expect: {"7.4/refusal-denies-service": pass}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.mismatches == [], result
    steps = markers(tmp_path / "out" / "trace.jsonl", MarkerKind.STEP)
    (screen,) = [s for s in steps if s.detail["step"] == "screen_after_refusal"]
    assert screen.detail["settled"] is True
    assert screen.detail["package"] == "com.example.shop"
    assert "不同意" not in screen.detail["texts"]  # the dialog is gone
    assert screen.detail["actions"]  # the browse-only screen has something to use


def test_read_policy_opens_the_link_keeps_the_text_and_returns_to_the_dialog(
    tmp_path: Path, device: Device
) -> None:
    # an AlertDialog whose message text is the link; its title names the policy too
    sc = scenario(tmp_path, """
name: video policy
app: com.example.video
steps: [{wait_for_consent: {timeout: 15}}, read_policy, refuse]
expect: {"7.2/policy-unreadable": fail}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.mismatches == [], result
    steps = markers(tmp_path / "out" / "trace.jsonl", MarkerKind.STEP)
    (read,) = [s for s in steps if s.detail["step"] == "read_policy"]
    assert read.detail["opened"] is True and read.detail["returned"] is True
    assert read.detail["link"].startswith("We use your information")
    policy = (tmp_path / "out" / "policy.txt").read_text("utf-8")
    assert "This policy explains what we collect" in policy
    # back at the dialog: the refusal after it still found its button
    (refused,) = [s for s in steps if s.detail["step"] == "refuse"]
    assert refused.detail["happened"] is True
    rule = next(r for r in result.rules if r.rule == "7.2/policy-unreadable")
    assert "method" in rule.reason
