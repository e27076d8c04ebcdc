"""The console of `run`/`check`: one line per scenario off a terminal, a table whose
names end in an ellipsis when cut, verdict and expectation in columns of their own."""

from __future__ import annotations

import io
from pathlib import Path

from harness.cli._console import RunConsole, choose_mode, scenario_line
from harness.cli._table import NAME_WIDTH, failure_details, fit, verdict_table
from harness.model import (
    ArticleVerdict,
    Category,
    Evidence,
    Phase,
    RuleResult,
    ScenarioResult,
    Verdict,
)
from harness.runner import Progress
from harness.scenario import load_scenarios


def _result(name: str, verdict: Verdict, *, mismatch: bool = False) -> ScenarioResult:
    ev = Evidence(seq=3, ts=1.0, api="telephony.imei", category=Category.DEVICE_ID,
                  phase=Phase.PRE_CONSENT, t_rel_ms=-1500, sdk="Example Analytics")
    rule = RuleResult(rule="7.2/pre-consent-collection", article="7.2", statement="s",
                      verdict=verdict, reason="collected before consent", evidence=[ev],
                      evidence_count=4)
    return ScenarioResult(
        scenario=name, package="com.example.news", verdict=verdict,
        articles=[ArticleVerdict(article="7.2", verdict=verdict, rules=[rule.rule])],
        rules=[rule], expect={"7.2": Verdict.PASS} if mismatch else {},
        mismatches=["7.2: expected pass, got fail"] if mismatch else [], duration_s=2.0)


def test_long_names_end_in_an_ellipsis_and_columns_are_separate() -> None:
    long = "x" * 80
    table = verdict_table([_result(long, Verdict.FAIL, mismatch=True)], ok=lambda r: False)
    assert fit(long, NAME_WIDTH) in table and fit(long, NAME_WIDTH).endswith("…")
    assert long not in table
    header = table.splitlines()[0].split()
    assert header[-3:] == ["verdict", "expectation", "result"]
    assert "MISMATCH (1)" in table and "FAILED" in table


def test_a_mismatch_shows_the_failing_rule_with_its_first_evidence() -> None:
    text = failure_details([_result("news", Verdict.FAIL, mismatch=True)], ok=lambda r: False)
    assert "expectation: 7.2: expected pass, got fail" in text
    assert "7.2/pre-consent-collection fail — collected before consent" in text
    assert "pre_consent -1500 ms  telephony.imei  Example Analytics" in text
    assert "… and 3 more" in text


def _progress(tmp_path: Path) -> list[Progress]:
    (tmp_path / "s.yaml").write_text("name: news\napp: com.example.news\nsteps: [observe: 1]\n")
    sc = load_scenarios(tmp_path / "s.yaml")[0]
    return [Progress(0, 2, sc, "emu-1", "started"), Progress(0, 2, sc, "emu-1", "launching"),
            Progress(0, 2, sc, "emu-1", "finished", _result("news", Verdict.PASS)),
            Progress(1, 2, sc, "emu-1", "started"),
            Progress(1, 2, sc, "emu-1", "finished", _result("news", Verdict.FAIL))]


def test_off_a_terminal_each_scenario_is_one_line(tmp_path: Path) -> None:
    out = io.StringIO()
    assert choose_mode(False, out) == "plain"
    with RunConsole("plain", lambda r: r.verdict is Verdict.PASS, 2, file=out) as console:
        for p in _progress(tmp_path):
            console.progress(p)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("[1/2] news") and lines[0].endswith("ok")
    assert "verdict=fail expectation=-" in lines[1] and lines[1].endswith("FAILED")


def test_quiet_prints_nothing_while_running(tmp_path: Path) -> None:
    out = io.StringIO()
    assert choose_mode(True, out) == "quiet"
    with RunConsole("quiet", lambda r: True, 2, file=out) as console:
        console.say("starting…")
        for p in _progress(tmp_path):
            console.progress(p)
    assert out.getvalue() == ""


def test_on_a_terminal_a_live_display_runs_and_finished_scenarios_stay(tmp_path: Path) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    assert choose_mode(False, out) == "live"
    with RunConsole("live", lambda r: True, 2, file=out) as console:
        for p in _progress(tmp_path):
            console.progress(p)
    text = out.getvalue()
    assert scenario_line(_progress(tmp_path)[2], True) in text
    assert "2/2" in text  # the suite bar's count
