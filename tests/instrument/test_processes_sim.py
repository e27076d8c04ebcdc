"""Every process of an app is instrumented (issue 11, item 2): the bundled sim app
``com.example.courier`` waits for consent in its main process, but its push SDK runs in
``com.example.courier:push`` (a service with android:process) and reads ANDROID_ID there at
once. Real adb, real Frida, the real simulated device and its JVMs.

Without the harness's process watcher the ``:push`` process runs unseen: its calls are in
the device's tap and absent from the trace, and the run's pre-consent verdict would be a
wrong ``pass``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from harness.model import CallEvent, Marker, MarkerKind

APP = "com.example.courier"
PUSH = f"{APP}:push"
ROOT = Path(__file__).resolve().parents[2]


def _writer(path: Path) -> Any:
    from harness.catalog import load_catalog
    from harness.instrument import LaunchInfo
    from harness.model import AppInfo, TraceHeader
    from harness.tracefile import TraceWriter

    catalog = load_catalog()

    def make(info: LaunchInfo) -> TraceWriter:
        header = TraceHeader(created_at="2024-01-01T00:00:00Z", harness_version="test",
                             app=AppInfo(package=APP), catalog_hash=catalog.hash,
                             clock_offset_ms=info.clock_offset_ms)
        return TraceWriter(path, header, reveal_values=True)

    return make


def _records(path: Path) -> list[Any]:
    from harness.tracefile import open_trace

    return list(open_trace(path).records())


def _push_calls(path: Path) -> list[CallEvent]:
    return [r for r in _records(path) if isinstance(r, CallEvent) and r.process == PUSH]


def _pid(device: Any, name: str) -> int | None:
    return next((p.pid for p in device.app_processes(APP) if p.name == name), None)


def _tap(device: Any, process: str) -> list[dict[str, Any]]:
    import json

    try:
        text = device.read_file(f"/data/system/sim-tap/{APP}.jsonl").decode("utf-8")
    except Exception:  # noqa: BLE001 — no file yet: nothing tapped
        return []
    calls = [json.loads(line) for line in text.splitlines() if line.endswith("}")]
    return [c for c in calls if c.get("process") == process]


def test_the_push_process_is_instrumented_before_its_first_call(device: Any,
                                                                 tmp_path: Path) -> None:
    from harness.catalog import load_catalog
    from harness.instrument import launch

    device.shell(["rm", "-f", f"/data/system/sim-tap/{APP}.jsonl"])
    trace = tmp_path / "trace.jsonl"
    app = launch(device, APP, _writer(trace), catalog=load_catalog())
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            app.flush()
            if app.watcher is not None:
                app.watcher.finish()
            if any(c.api == "settings.secure.android_id" for c in _push_calls(trace)):
                break
            time.sleep(0.2)
        pid = _pid(device, PUSH)
        assert pid is not None, "the app did not start its :push process"
        assert (PUSH, pid) in app.processes
        tapped = _tap(device, PUSH)
    finally:
        app.stop()
    calls = _push_calls(trace)
    assert calls, "no call from the :push process reached the trace"
    assert {c.pid for c in calls} == {pid}
    assert all(c.seq >= 1_000_000_000 for c in calls)  # the process's own seq range
    # hooked before the process's first instruction: every call it made is in the trace
    assert tapped, "the tap saw no call of the :push process"
    assert len(calls) >= len(tapped), (len(calls), [t["api"] for t in tapped])
    # the main process's calls carry its name too, and the push agent said it was ready
    records = _records(trace)
    assert all(r.process in (APP, PUSH) for r in records if isinstance(r, CallEvent))
    ready = [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.HOOKS_READY
             and r.detail.get("process") == PUSH]
    assert ready and all(r.source == "agent" for r in ready), "push hooks were not in at start"
    # force-stop took both processes; the device holds no debug app any more
    assert device.app_processes(APP) == []


def test_the_debug_app_is_cleared_after_the_run(device: Any) -> None:
    """A run leaves the device as it found it: a later plain start of the app does not
    leave its :push process waiting for a debugger that never comes."""
    device.shell(["rm", "-f", f"/data/system/sim-tap/{APP}.jsonl"])
    device.start(APP)
    try:
        deadline = time.monotonic() + 60
        while not _tap(device, PUSH) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _tap(device, PUSH), "the :push process never ran: still waiting for a debugger?"
    finally:
        device.force_stop(APP)


def test_pre_consent_verdict_comes_from_the_push_process(device: Any, tmp_path: Path) -> None:
    from harness.runner import run_scenario
    from harness.scenario import load_scenarios

    (observe,) = [s for s in load_scenarios(ROOT / "scenarios" / "courier.yaml")
                  if "observe" in s.tags]
    result = run_scenario(observe, device, tmp_path / "run")
    rule = next(r for r in result.rules if r.rule == "7.2/pre-consent-collection")
    assert rule.verdict.value == "fail", rule
    by_seq = {r.seq: r for r in _records(tmp_path / "run" / "trace.jsonl")
              if isinstance(r, CallEvent)}
    assert rule.evidence
    assert {by_seq[e.seq].process for e in rule.evidence if e.seq is not None} == {PUSH}
