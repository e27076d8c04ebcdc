"""launch() → InstrumentedApp → trace file, with real Frida and a real JVM (the probe)."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from harness.model import CallEvent, Marker, MarkerKind, TraceHeader, TraceIssue
from tests.hooks.probe import PACKAGE, ProbeDevice, probe_catalog, require_tools


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    require_tools()


def _writer(path: Path) -> Any:
    from harness.instrument import LaunchInfo
    from harness.model import AppInfo
    from harness.tracefile import TraceWriter

    def make(info: LaunchInfo) -> TraceWriter:
        header = TraceHeader(
            created_at="2024-01-01T00:00:00Z",
            harness_version="test",
            app=AppInfo(package=info.package),
            catalog_hash=probe_catalog().hash,
            clock_offset_ms=info.clock_offset_ms,
            device={"serial": info.serial},
        )
        return TraceWriter(path, header, reveal_values=True)

    return make


def _read(path: Path) -> list[Any]:
    from harness.tracefile import open_trace

    trace = open_trace(path)
    return [trace.header, *trace.records()]


def _launch(commands: list[str], path: Path, **kw: Any) -> tuple[ProbeDevice, Any]:
    from harness.instrument import launch

    device = ProbeDevice(commands)
    app = launch(device, PACKAGE, _writer(path), catalog=probe_catalog(), **kw)
    return device, app


def test_trace_of_a_run(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    seen: list[Any] = []
    device, app = _launch(["first", "suite", "ui", "hold"], path, on_record=seen.append)
    try:
        assert app.strategy.value == "debug-wait"
        assert app.hooks is not None and "missing.method" in {f.id for f in app.hooks.failed}
        assert app.hooks.absent == ["missing.class"]
        assert abs(app.clock_offset_ms) < 1000  # local device: same clock
        assert device.process is not None
        device.process.wait_line("DONE hold")
        end = app.stop()
    finally:
        device.close()
    assert end.reason == "completed"
    records = _read(path)
    assert isinstance(records[0], TraceHeader)
    body = records[1:-1]
    assert isinstance(body[0], Marker) and body[0].marker is MarkerKind.LAUNCHED
    assert body[1].marker is MarkerKind.HOOKS_READY and body[1].source == "agent"
    calls = [r for r in body if isinstance(r, CallEvent)]
    assert calls[0].api == "telephony.device_id" and calls[0].category.value == "device_id"
    assert calls[0].data == "imei" and calls[0].pid == device.process.pid
    assert calls[0].stack[0].startswith("android.telephony.TelephonyManager.getDeviceId")
    assert [c.seq for c in calls] == sorted(c.seq for c in calls)
    contacts = [c for c in calls if c.api == "resolver.query.contacts"]
    assert len(contacts) == 1 and contacts[0].thread == "sdk-worker"
    assert contacts[0].category.value == "contacts"
    kinds = [r.marker for r in body if isinstance(r, Marker)]
    assert MarkerKind.DIALOG_SHOWN in kinds and MarkerKind.VIEW_CLICKED in kinds
    assert not [r for r in body if isinstance(r, TraceIssue)]
    assert end.events == len(calls) == 12
    assert records[-1].kind == "end"
    assert len(seen) == len(body)  # live callback saw every record


def test_burst_from_threads_then_exit_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "burst.jsonl"
    n = int(os.environ.get("PROBE_BURST", "20000"))
    device, app = _launch(["burst", str(n), "4", "exit"], path)
    try:
        assert app.wait(300) == "app_exit"
        end = app.stop()
    finally:
        device.close()
    assert end.reason == "app_exit"
    records = _read(path)
    calls = [r for r in records if isinstance(r, CallEvent)]
    assert len(calls) == n
    assert {c.thread for c in calls} == {f"burst-{k}" for k in range(4)}
    seqs = [r.seq for r in records if isinstance(r, (CallEvent, Marker)) and r.seq is not None]
    assert seqs == list(range(len(seqs)))
    assert not [r for r in records if isinstance(r, TraceIssue)]
    assert [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.APP_EXIT]


def test_killed_mid_run_keeps_what_was_received(tmp_path: Path) -> None:
    path = tmp_path / "killed.jsonl"
    device, app = _launch(["first", "burst", "10000000", "2"], path)
    try:
        assert device.process is not None
        while app.flush() < 1000:
            pass
        os.kill(device.process.pid, signal.SIGKILL)
        assert app.wait(30) == "app_exit"
        end = app.stop()
    finally:
        device.close()
    assert end.reason == "app_exit"
    records = _read(path)
    calls = [r for r in records if isinstance(r, CallEvent)]
    assert len(calls) >= 1000
    assert calls[0].api == "telephony.device_id"
    exits = [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.APP_EXIT]
    assert exits and exits[0].detail["reason"] == "process-terminated"
    assert records[-1].kind == "end" and records[-1].events == len(calls)



def test_a_refusal_handler_that_collects_then_kills_itself_loses_no_tail(tmp_path: Path) -> None:
    """killProcess is a SIGKILL: unless the agent flushes and waits for the host's ack
    first, the last calls (and the click marker) die with the process. 20 of 20."""
    runs = 20
    for run in range(runs):
        path = tmp_path / f"trace{run}.jsonl"
        device, app = _launch(["refuse_exit", "hold"], path)
        try:
            # no sleep: wait for the process end itself (the probe never gets to "hold")
            assert app.wait(120.0) == "app_exit", f"run {run}: the probe did not end"
            info = app.exit_info
            assert info is not None and info["how"] == "exited", (run, info)
            assert info["via"] == "android.os.Process.killProcess"
        finally:
            app.stop()
            device.close()
        records = _read(path)
        apis = [r.api for r in records if isinstance(r, CallEvent)]
        assert apis == ["telephony.imei", "settings.android_id"], (run, apis)
        clicks = [r for r in records
                  if isinstance(r, Marker) and r.marker is MarkerKind.VIEW_CLICKED]
        assert [c.detail.get("text") for c in clicks] == ["Disagree"], run
        exits = [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.APP_EXIT]
        assert [e.detail["how"] for e in exits] == ["exited"]
        assert records[-1].kind == "end" and records[-1].reason == "app_exit"
