"""The ``scroll`` step on a real sim app (real adb and Frida): a row below the screen is
reached by swiping its list, and a row that is not there fails the step, named by line."""

from __future__ import annotations

from pathlib import Path

from harness.device import Device
from harness.model import MarkerKind, Verdict
from harness.runner import run_scenario
from tests.runner.test_scenario_run import markers, scenario


def test_scroll_swipes_until_the_bottom_row_is_on_screen(tmp_path: Path, device: Device) -> None:
    sc = scenario(tmp_path, """
name: news about
app: com.example.news
steps:
  - wait_for_consent: {timeout: 15}
  - refuse
  - tap: {text: 设置}
  - wait_for: {resource_id: settings_scroll, timeout: 15}
  - assert_not_visible: 版本号
  - scroll: 版本号
  - assert_visible: {resource_id: about_build}
  - scroll: {text: 设置, direction: up, within: settings_scroll}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.error is None, result.error
    trace = tmp_path / "out" / "trace.jsonl"
    scrolls = [s.detail for s in markers(trace, MarkerKind.STEP) if s.detail["step"] == "scroll"]
    assert [s["found"] for s in scrolls] == ["版本号", "设置"]
    assert all(s["happened"] and s["swipes"] >= 1 for s in scrolls)
    swipes = [m.detail for m in markers(trace, MarkerKind.HOST_ACTION)
              if m.detail.get("action") == "swipe"]
    assert len(swipes) == sum(s["swipes"] for s in scrolls)
    down, up = swipes[0], swipes[-1]
    assert down["y1"] > down["y2"] and up["y1"] < up["y2"]  # down drags the content up


def test_scroll_to_a_row_that_is_not_there_fails_at_the_list_end(
    tmp_path: Path, device: Device
) -> None:
    sc = scenario(tmp_path, """
name: news about, missing row
app: com.example.news
steps:
  - wait_for_consent: {timeout: 15}
  - refuse
  - tap: {text: 设置}
  - wait_for: {resource_id: settings_scroll, timeout: 15}
  - scroll: {text: 这一行不存在, max_swipes: 20}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.verdict is Verdict.ERROR
    assert result.error is not None
    assert "line 9: scroll: '这一行不存在' not found: the view stopped moving" in result.error


def test_scroll_gives_up_after_max_swipes(tmp_path: Path, device: Device) -> None:
    sc = scenario(tmp_path, """
name: news about, too few swipes
app: com.example.news
steps:
  - wait_for_consent: {timeout: 15}
  - refuse
  - tap: {text: 设置}
  - wait_for: {resource_id: settings_scroll, timeout: 15}
  - scroll: {resource_id: about_build, max_swipes: 1}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.verdict is Verdict.ERROR
    assert result.error is not None
    assert "line 9: scroll: id 'about_build' not on screen after 1 swipe(s) down" in result.error
