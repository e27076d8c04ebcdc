"""Agent batches → records, without Frida: sequence and batch checks, stack references,
unknown APIs, and how an app's end is told from the detach reason and the agent's word."""

from __future__ import annotations

from typing import Any

from harness.instrument import Translator
from harness.instrument.messages import AgentDying, parse_message
from harness.instrument.translate import exit_detail
from harness.model import CallEvent, Marker, MarkerKind, TraceIssue
from tests.hooks.probe import probe_catalog


def call(seq: int, api: str = "telephony.imei", stack: Any = 0) -> dict[str, Any]:
    return {"type": "call", "seq": seq, "ts": 1.0 + seq, "tid": 1, "thread": "main",
            "id": api, "overload": "", "args": [], "ret": None, "threw": None, "stack": stack}


def batch(seq: int, events: list[dict[str, Any]], stacks: dict[str, list[str]] | None = None
          ) -> Any:
    return parse_message({"type": "events", "seq": seq, "pid": 7,
                          "stacks": stacks or {}, "events": events})


def test_a_sequence_gap_is_an_error_issue_where_the_events_went_missing() -> None:
    t = Translator(probe_catalog())
    records = t.batch(batch(0, [call(0), call(1), call(5)], {"0": ["a.B.c(B.java:1)"]}), 0.0)
    assert [type(r).__name__ for r in records] == [
        "CallEvent", "CallEvent", "TraceIssue", "CallEvent"]
    gap = records[2]
    assert isinstance(gap, TraceIssue) and gap.code == "sequence_gap" and gap.level == "error"
    assert gap.detail == {"from": 2, "to": 4, "missing": 3}
    first = records[0]
    assert isinstance(first, CallEvent)
    assert first.stack == ["a.B.c(B.java:1)"] and first.pid == 7
    assert t.events == 3


def test_stacks_sent_in_an_earlier_batch_resolve_and_unknown_ones_say_so() -> None:
    t = Translator(probe_catalog())
    t.batch(batch(0, [call(0)], {"3": ["x.Y.z(Y.java:9)"]}), 0.0)
    records = t.batch(batch(1, [call(1, stack=3), call(2, stack=99)]), 0.0)
    assert isinstance(records[0], CallEvent) and records[0].stack == ["x.Y.z(Y.java:9)"]
    assert isinstance(records[1], CallEvent) and records[1].stack == ["<stack 99 not received>"]


def test_a_lost_batch_and_an_api_the_catalog_lacks_are_issues() -> None:
    t = Translator(probe_catalog())
    records = t.batch(batch(2, [call(0, api="no.such.api")]), 42.0)
    assert isinstance(records[0], TraceIssue) and records[0].code == "batch_gap"
    assert records[0].ts == 42.0 and records[0].detail == {"expected": 0, "got": 2}
    assert isinstance(records[1], TraceIssue) and records[1].code == "unknown_api"
    assert t.events == 0


def test_agent_markers_keep_their_thread() -> None:
    t = Translator(probe_catalog())
    marker = {"type": "marker", "seq": 0, "ts": 5.0, "tid": 3, "thread": "main",
              "kind": "dialog_shown", "detail": {"texts": ["隐私政策"]}}
    (record,) = t.batch(batch(0, [marker]), 0.0)
    assert isinstance(record, Marker) and record.marker is MarkerKind.DIALOG_SHOWN
    assert record.source == "agent" and record.detail["thread"] == "main"


def test_how_an_app_ended() -> None:
    said_exit = AgentDying(token=1, ts=9.0, via="java.lang.Runtime.exit",
                           detail={"status": 0})
    assert exit_detail("process-terminated", None, said_exit, 5)["how"] == "exited"
    assert exit_detail("process-terminated", "SIGSEGV", None, 5)["how"] == "crashed"
    assert exit_detail("process-vanished", None, None, 5)["how"] == "ended"
    assert exit_detail("process-terminated", None, None, 5)["how"] == "killed"
