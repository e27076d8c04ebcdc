"""wait_for / assert_visible / assert_not_visible / back on a real sim app (real adb and
Frida): what a QA flow relies on to check a screen, and a failed assertion named by line."""

from __future__ import annotations

from pathlib import Path

from harness.device import Device
from harness.model import MarkerKind, Verdict
from harness.runner import run_scenario
from tests.runner.test_scenario_run import markers, scenario


def test_a_flow_checks_screens_and_goes_back(tmp_path: Path, device: Device) -> None:
    sc = scenario(tmp_path, """
name: news limited mode
app: com.example.news
steps:
  - wait_for_consent: {timeout: 15}
  - refuse
  - assert_visible: 仅浏览模式
  - assert_not_visible: 不同意
  - tap: {text: 设置}
  - wait_for: {text: 撤回隐私政策同意, timeout: 15}
  - back
  - assert_visible: {resource_id: main_text}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.error is None, result.error
    steps = markers(tmp_path / "out" / "trace.jsonl", MarkerKind.STEP)
    kinds = [s.detail["step"] for s in steps if s.detail.get("happened")]
    for kind in ("assert_visible", "assert_not_visible", "wait_for", "back"):
        assert kind in kinds


def test_a_failed_assertion_names_its_line_and_is_never_a_pass(
    tmp_path: Path, device: Device
) -> None:
    sc = scenario(tmp_path, """
name: news wrong screen
app: com.example.news
timeout: {ui: 2}
steps:
  - wait_for_consent: {timeout: 15}
  - assert_visible: 这段文字不存在
  - agree
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.verdict is Verdict.ERROR
    assert result.error is not None and "line 7: assert_visible" in result.error


def test_input_text_types_into_the_field_it_taps(tmp_path: Path, device: Device) -> None:
    sc = scenario(tmp_path, """
name: news feedback
app: com.example.news
steps:
  - wait_for_consent: {timeout: 15}
  - refuse
  - tap: {text: 设置}
  - input_text: {value: "slow app & bad UI", resource_id: feedback}
  - assert_visible: slow app & bad UI
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.error is None, result.error


def test_input_text_refuses_what_android_cannot_type(tmp_path: Path) -> None:
    import pytest

    from harness.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        scenario(tmp_path, """
name: x
app: com.example.news
steps: [{input_text: 你好}]
""")
    assert "printable ASCII only" in str(err.value) and "s.yaml:4" in str(err.value)
