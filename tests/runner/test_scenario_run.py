"""One scenario, end to end: real adb, real Frida, real JVM sim apps."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.device import Device
from harness.model import MarkerKind, Verdict
from harness.reports import RunFolder, write_reports
from harness.runner import run_scenario
from harness.scenario import Scenario, load_scenarios
from harness.scoring.consent import with_consent_moments
from harness.tracefile import open_trace


def scenario(tmp_path: Path, text: str) -> Scenario:
    path = tmp_path / "s.yaml"
    path.write_text(text, "utf-8")
    (only,) = load_scenarios(path)
    return only


def when_observing(timer: threading.Timer) -> Callable[[str], None]:
    """A progress callback that starts ``timer`` once the app runs and is observed."""

    def progress(message: str) -> None:
        if message.startswith("step observe") and timer.ident is None:  # not started yet
            timer.start()

    return progress


def markers(trace: Path, kind: MarkerKind) -> list[Any]:
    """The trace's markers of ``kind`` as scoring reads them: the agent's consent moments
    derived from its observations and the header's patterns (harness.scoring.consent)."""
    opened = open_trace(trace)
    moments = with_consent_moments(opened.markers(), opened.header.consent_patterns)
    return [m for m in moments if m.marker is kind]


def written_agent_consent(trace: Path) -> list[Any]:
    """Consent markers in the file that claim to be the agent's: none (the agent sends
    observations; the moments are derived from them)."""
    consent = {MarkerKind.CONSENT_SHOWN, MarkerKind.CONSENT_GRANTED,
               MarkerKind.CONSENT_REFUSED, MarkerKind.CONSENT_WITHDRAWN}
    return [m for m in open_trace(trace).markers() if m.source == "agent" and m.marker in consent]


def test_agree_meets_ground_truth_with_agent_consent_moment(tmp_path: Path, device: Device) -> None:
    sc = scenario(tmp_path, """
name: news agree
app: com.example.news
scope: [device_id, network_id, installed_apps]
steps: [{wait_for_consent: {timeout: 10}}, {observe: 1}, agree, {observe: 2}]
expect: {"7.2/pre-consent-collection": fail, "7.4": pass}
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.mismatches == [], result
    trace = tmp_path / "out" / "trace.jsonl"
    granted = markers(trace, MarkerKind.CONSENT_GRANTED)
    assert {m.source for m in granted} == {"agent", "host"}
    agent = next(m for m in granted if m.source == "agent")
    assert agent.detail["from"] == "view_clicked" and agent.seq is not None
    assert written_agent_consent(trace) == []
    rule = next(r for r in result.rules if r.rule == "7.2/pre-consent-collection")
    # the analytics SDK fingerprints the device in Application.onCreate
    assert any(e.sdk_kind == "analytics" and e.phase.value == "pre_consent"
               for e in rule.evidence)
    assert (tmp_path / "out" / "dialog.png").read_bytes().startswith(b"\x89PNG")
    # the analytics SDK collected before consent: the screen at that moment is evidence
    assert (tmp_path / "out" / "first-violation.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((tmp_path / "out" / "verdicts.json").read_text())["scenario"] == "news agree"


def test_dialog_that_never_appears_is_a_finding_not_a_crash(
    tmp_path: Path, device: Device, cluster: Any
) -> None:
    cluster.control(device.serial).suppress_dialogs(True)
    sc = scenario(tmp_path, """
name: hidden dialog
app: com.example.news
steps: [{wait_for_consent: {timeout: 3}}, {agree: {timeout: 1}}, {observe: 1}]
""")
    result = run_scenario(sc, device, tmp_path / "out")
    assert result.error is None
    steps = markers(tmp_path / "out" / "trace.jsonl", MarkerKind.STEP)
    assert [s.detail["found"] for s in steps if s.detail["step"] in ("wait_for_consent", "agree")] \
        == [False, False]
    # the screen never showed it, but the agent saw the app open its privacy dialog:
    # that is the consent_shown the no-consent-prompt rule looks for
    shown = markers(tmp_path / "out" / "trace.jsonl", MarkerKind.CONSENT_SHOWN)
    assert [m.source for m in shown] == ["agent"]
    verdicts = {r.rule: r.verdict for r in result.rules}
    assert verdicts["7.2/no-consent-prompt"] is Verdict.PASS
    assert verdicts["7.2/pre-consent-collection"] is Verdict.FAIL


def test_device_lost_mid_scenario_keeps_the_trace_and_is_an_error(
    tmp_path: Path, device: Device, cluster: Any
) -> None:
    sc = scenario(tmp_path, """
name: dropped
app: com.example.compliant
steps: [{observe: 6}]
""")
    control = cluster.control(device.serial)
    # a cable pulled for longer than the observe step: the device is gone, not blinking
    timer = threading.Timer(1.0, control.drop_connection, kwargs={"offline_ms": 8000})
    try:
        result = run_scenario(sc, device, tmp_path / "out", progress=when_observing(timer))
    finally:
        timer.cancel()
    assert result.verdict is Verdict.ERROR
    assert result.error and "device lost" in result.error
    trace = open_trace(tmp_path / "out" / "trace.jsonl")
    records = list(trace.records())
    assert records[-1].kind == "end" and records[-1].reason in ("device_lost", "error")
    assert any(r.kind == "marker" and r.marker is MarkerKind.HOOKS_READY for r in records)


def test_app_killed_mid_scenario_ends_with_app_exit(
    tmp_path: Path, device: Device, cluster: Any
) -> None:
    sc = scenario(tmp_path, """
name: killed
app: com.example.news
steps: [{observe: 5}]
""")
    control = cluster.control(device.serial)
    timer = threading.Timer(1.0, control.kill_app, args=("com.example.news",))
    try:
        result = run_scenario(sc, device, tmp_path / "out", progress=when_observing(timer))
    finally:
        timer.cancel()
    records = list(open_trace(tmp_path / "out" / "trace.jsonl").records())
    assert records[-1].kind == "end" and records[-1].reason == "app_exit"
    # what was seen before the crash still counts
    assert {r.rule: r.verdict for r in result.rules}["7.2/pre-consent-collection"] is Verdict.FAIL


def test_hostile_ui_texts_reach_neither_shell_nor_report(tmp_path: Path, device: Device) -> None:
    sc = scenario(tmp_path, """
name: hostile agree
app: com.example.hostile
steps: [{wait_for_consent: {timeout: 10}}, agree, {observe: 1}]
""")
    folder = RunFolder(tmp_path / "run")
    directory = folder.scenario_dir(sc.name, file=str(sc.source.file))
    result = run_scenario(sc, device, directory)
    assert result.error is None
    shown = markers(directory / "trace.jsonl", MarkerKind.CONSENT_SHOWN)
    assert any("<script>" in " ".join(m.detail["texts"]) for m in shown)
    from harness.model import RunSummary

    verdicts = directory / "verdicts.json"
    written = verdicts.stat().st_mtime_ns, verdicts.read_bytes()
    write_reports(folder, RunSummary(harness_version="t", started_at="t", finished_at="t",
                                     scenarios=[result]))
    # written once, at the scenario's end, in its final form (the report writer left it)
    assert (verdicts.stat().st_mtime_ns, verdicts.read_bytes()) == written
    assert json.loads(written[1])["trace"] == f"scenarios/{directory.name}/trace.jsonl"
    assert device.serial not in written[1].decode()
    html = (folder.html_path).read_text("utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html  # the dialog's texts are shown, escaped
    # the app is still there and the device still answers: nothing ran `reboot`/`rm`
    assert device.package_info("com.example.hostile") is not None
