"""The instrumentation on the simulated device: real adb, real Frida, real sim app JVMs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from harness.model import CallEvent, Marker, MarkerKind, TraceIssue


def _launch(device: Any, package: str, path: Path) -> Any:
    from harness.catalog import load_catalog
    from harness.instrument import LaunchInfo, launch
    from harness.model import AppInfo, TraceHeader
    from harness.tracefile import TraceWriter

    catalog = load_catalog()

    def writer(info: LaunchInfo) -> TraceWriter:
        header = TraceHeader(
            created_at="2024-01-01T00:00:00Z",
            harness_version="test",
            app=AppInfo(package=package),
            catalog_hash=catalog.hash,
            clock_offset_ms=info.clock_offset_ms,
        )
        return TraceWriter(path, header, reveal_values=True)

    return launch(device, package, writer, catalog=catalog)


def _records(path: Path) -> list[Any]:
    from harness.tracefile import open_trace

    return list(open_trace(path).records())


def _until(app: Any, n: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while app.flush() < n and time.monotonic() < deadline and app.alive:
        time.sleep(0.2)
    return int(app.flush())


def _until_seen(app: Any, path: Path, seen: Any, timeout: float) -> bool:
    """Flush and read the trace so far until ``seen(records)`` holds (the trace is
    written as batches arrive), or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        app.flush()
        if seen(_records(path)):
            return True
        if time.monotonic() >= deadline or not app.alive:
            return False
        time.sleep(0.2)


def _privacy_dialog(records: list[Any]) -> bool:
    return any(isinstance(r, Marker) and r.marker is MarkerKind.DIALOG_SHOWN
               and any("隐私政策" in t for t in r.detail.get("texts", [])) for r in records)


def test_first_call_with_sdk_frames(device: Any, tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    app = _launch(device, "com.example.news", path)
    try:
        assert app.hooks.stack == "jvmti"
        # wait for what is asserted below — the first calls AND the dialog's marker —
        # not for a guess at how long they take on this machine
        assert _until_seen(app, path, lambda rs: _privacy_dialog(rs) and sum(
            isinstance(r, CallEvent) for r in rs) >= 5, 120)
    finally:
        end = app.stop()
    assert end.reason == "completed"
    records = _records(path)
    calls = [r for r in records if isinstance(r, CallEvent)]
    first = calls[0]
    # the very first sensitive call, made in Application.onCreate by the analytics SDK
    assert first.api == "settings.secure.android_id" and first.thread == "main"
    assert any(f.startswith("com.example.sdk.analytics.") for f in first.stack)
    assert any(f.startswith("com.example.news.NewsApplication.onCreate(") for f in first.stack)
    assert records[0].marker is MarkerKind.LAUNCHED
    assert records[1].marker is MarkerKind.HOOKS_READY
    assert records[1].ts <= first.ts
    shown = [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.DIALOG_SHOWN]
    assert shown and any("隐私政策" in t for t in shown[0].detail["texts"])
    assert records[-1].kind == "end"


def test_burst_of_100k_from_threads_then_killed(sim: Any, device: Any, tmp_path: Path) -> None:
    from harness.ui.matchers import TextMatcher

    path = tmp_path / "burst.jsonl"
    app = _launch(device, "com.example.burst", path)
    try:
        deadline = time.monotonic() + 30
        button = None
        while button is None and time.monotonic() < deadline:
            found = [n for n in device.dump_ui().find(TextMatcher.exact("Burst")) if n.clickable]
            button = found[0] if found else None
        assert button is not None
        device.tap(*button.center)
        got = _until(app, 100_000, 300)
        assert got == 100_000
        sim.control(device.serial).kill_app("com.example.burst")
        assert app.wait(30) == "app_exit"
    finally:
        end = app.stop()
    assert end.reason == "app_exit" and end.events == 100_000
    records = _records(path)
    calls = [r for r in records if isinstance(r, CallEvent)]
    assert len(calls) == 100_000
    assert {c.api for c in calls} == {"settings.secure.android_id"}
    assert len({c.thread for c in calls}) == 4
    seqs = [r.seq for r in records if isinstance(r, (CallEvent, Marker)) and r.seq is not None]
    assert seqs == list(range(len(seqs)))
    assert not [r for r in records if isinstance(r, TraceIssue)]
    exits = [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.APP_EXIT]
    assert len(exits) == 1


def test_dropped_adb_connection_keeps_the_trace(sim: Any, device: Any, tmp_path: Path) -> None:
    path = tmp_path / "dropped.jsonl"
    app = _launch(device, "com.example.news", path)
    try:
        got = _until(app, 5, 60)
        sim.control(device.serial).drop_connection()
    finally:
        end = app.stop()
    records = _records(path)
    calls = [r for r in records if isinstance(r, CallEvent)]
    assert len(calls) >= got
    assert records[-1].kind == "end" and records[-1].reason == end.reason
