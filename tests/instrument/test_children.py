"""The pieces of instrumenting every process of an app that need no device: which spawns
belong to the app, what a manifest declares, each process's own seq range and name on its
records, the shared trace writer, and a further process's end (not the app's)."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path
from typing import Any

from harness.device.processes import _manifest_processes
from harness.instrument import Translator
from harness.instrument.children import SharedWriter, is_app_process
from harness.instrument.messages import parse_message
from harness.instrument.reactor import Reactor
from harness.instrument.translate import PROCESS_SEQ_STRIDE
from harness.model import AppInfo, CallEvent, Marker, TraceEnd, TraceHeader, TraceIssue
from harness.tracefile import TraceWriter, open_trace
from tests.hooks.probe import probe_catalog

PKG = "com.example.courier"


def make_header() -> TraceHeader:
    return TraceHeader(created_at="2024-01-01T00:00:00Z", harness_version="test",
                       app=AppInfo(package=PKG), catalog_hash="x")


class ListWriter:
    def __init__(self) -> None:
        self.body: list[Any] = []

    def write(self, records: Any) -> None:
        self.body.extend(records)  # not atomic for a list of records: the lock must be held

    def close(self, end: TraceEnd | None = None) -> None:
        pass

    def records(self) -> list[Any]:
        return self.body


def test_only_the_apps_own_processes_are_instrumented() -> None:
    assert is_app_process(PKG, PKG) and is_app_process(f"{PKG}:push", PKG)
    assert not is_app_process(f"{PKG}x", PKG) and not is_app_process("com.example", PKG)
    assert not is_app_process("system_server", PKG)


def _apk(tmp: Path, manifest: Any) -> Path:
    path = tmp / "base.apk"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", manifest if isinstance(manifest, str) else json.dumps(manifest))
    return path


def test_declared_processes_come_from_the_manifest_and_hostile_ones_are_dropped(
        tmp_path: Path) -> None:
    services = [{"name": "a.B", "process": ":push"}, {"name": "a.C", "process": ":push"},
                {"name": "a.D"}, {"name": "a.E", "process": ":x;rm -rf /"},
                {"name": "a.F", "process": "com.other.proc"}, "junk"]
    apk = _apk(tmp_path, {"package": PKG, "services": services})
    assert _manifest_processes(apk, PKG) == [f"{PKG}:push", "com.other.proc"]
    assert _manifest_processes(_apk(tmp_path, "not json"), PKG) == []
    assert _manifest_processes(tmp_path / "missing.apk", PKG) == []


def _batch(pid: int) -> Any:
    return parse_message({"type": "events", "seq": 0, "pid": pid, "stacks": {}, "events": [
        {"type": "call", "seq": 0, "ts": 1.0, "tid": 1, "thread": "push-worker",
         "id": "telephony.imei", "overload": "", "args": [], "ret": None, "threw": None,
         "stack": None},
        {"type": "marker", "seq": 1, "ts": 2.0, "tid": 1, "thread": "main",
         "kind": "hooks_ready", "detail": {}},
    ]})


def test_a_further_process_writes_its_name_and_its_own_seq_range() -> None:
    t = Translator(probe_catalog(), app_package=PKG, process=f"{PKG}:push",
                   seq_offset=PROCESS_SEQ_STRIDE)
    call, marker = t.batch(_batch(9), 0.0)
    assert isinstance(call, CallEvent) and call.process == f"{PKG}:push"
    assert call.seq == PROCESS_SEQ_STRIDE and call.pid == 9
    assert isinstance(marker, Marker) and marker.seq == PROCESS_SEQ_STRIDE + 1
    assert marker.detail["process"] == f"{PKG}:push"
    # a translator without a process writes calls as before (the field is left out)
    plain = Translator(probe_catalog()).batch(_batch(9), 0.0)[0]
    assert isinstance(plain, CallEvent) and plain.process is None


def test_the_process_field_round_trips_and_is_absent_when_unset(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    calls = Translator(probe_catalog(), process=f"{PKG}:push").batch(_batch(9), 0.0)[:1]
    calls += Translator(probe_catalog()).batch(_batch(8), 0.0)[:1]
    with TraceWriter(path, make_header(), reveal_values=True) as writer:
        writer.write(calls)
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    written = [x for x in lines if x.get("kind") == "call"]
    assert written[0]["process"] == f"{PKG}:push" and "process" not in written[1]
    read = [r for r in open_trace(path).records() if isinstance(r, CallEvent)]
    assert [r.process for r in read] == [f"{PKG}:push", None]


class _Host:
    pid = 9
    stopping = False
    detaching_self = False

    def device_ms(self, host_s: float | None = None) -> float:
        return 5.0

    def post_to_agent(self, message: dict[str, Any]) -> None:
        pass


def test_a_further_process_ending_is_an_issue_not_the_apps_exit() -> None:
    trace = ListWriter()
    reactor = Reactor(_Host(), Translator(probe_catalog()), "t", process=f"{PKG}:push")
    reactor.start(SharedWriter(trace))
    reactor.put_detached("process-terminated", None)
    reactor.quit(10.0)
    (issue,) = [r for r in trace.records() if not isinstance(r, CallEvent)]
    assert isinstance(issue, TraceIssue) and issue.code == "process_exit"
    assert issue.level == "warning" and issue.detail["process"] == f"{PKG}:push"
    assert reactor.exit_info is None


def test_the_shared_writer_serialises_writers_of_several_threads() -> None:
    trace = ListWriter()
    shared = SharedWriter(trace)
    calls = Translator(probe_catalog()).batch(_batch(9), 0.0)[:1]
    workers = [threading.Thread(target=lambda: [shared.write(calls) for _ in range(200)])
               for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sum(1 for r in trace.records() if isinstance(r, CallEvent)) == 800
