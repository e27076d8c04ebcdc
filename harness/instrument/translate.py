"""Agent batches → trace records, and how an app's end is told: pure, no Frida.

The session's consumer thread owns one :class:`Translator` (sequence and batch counters,
the stack table); everything here is testable by feeding it parsed agent messages.
"""

from __future__ import annotations

from typing import Any

from harness.instrument.messages import AgentCall, AgentDying, AgentMarker, AgentNet, EventsBatch
from harness.instrument.transmission import (
    Origin,
    TransmissionMatcher,
    caller_frames,
    decode_payload,
    payload_format,
    sha256_text,
)
from harness.instrument.types import CatalogLike, Record
from harness.model import CallEvent, Marker, MarkerKind, TraceIssue, framework_only
from harness.model.enums import PERSONAL_INFORMATION

#: The seq range of each further process of one launch: the n-th process instrumented after
#: the main one writes ``n * PROCESS_SEQ_STRIDE + seq`` (an agent never sends that many).
PROCESS_SEQ_STRIDE = 1_000_000_000

#: Agent marker names → the trace's marker kinds (the agent sends only these).
AGENT_MARKERS: dict[str, MarkerKind] = {
    "hooks_ready": MarkerKind.HOOKS_READY,
    "dialog_shown": MarkerKind.DIALOG_SHOWN,
    "view_clicked": MarkerKind.VIEW_CLICKED,
    "activity_resumed": MarkerKind.ACTIVITY_RESUMED,
    "permission_prompt": MarkerKind.PERMISSION_PROMPT,
}


class Translator:
    """One agent's stream: checks batch and event sequence, resolves stack references,
    turns calls into :class:`CallEvent` (with the catalog's category and data item)."""

    def __init__(
        self,
        catalog: CatalogLike,
        app_package: str | None = None,
        *,
        process: str | None = None,
        seq_offset: int = 0,
    ) -> None:
        self.catalog = catalog
        #: The name of the process this agent runs in, written on every call and marker.
        self.process = process
        #: Added to the agent's own seq in the records: each further process of a run gets
        #: its own range (:data:`PROCESS_SEQ_STRIDE`), so a seq names one call of the trace.
        self.seq_offset = seq_offset
        #: The app's package: its frames are never the framework's (even under com.android.).
        self.app_package = app_package
        self.next_seq = 0
        self.next_batch = 0
        self.stacks: dict[int, list[str]] = {}
        #: stack id -> whether that stack is framework-only (asked once per distinct stack)
        self._framework: dict[int, bool] = {}
        #: Calls translated so far.
        self.events = 0
        #: Values personal-information calls returned, matched in network writes.
        self.transmissions = TransmissionMatcher()
        #: Keep each write's captured payload (base64) in its ``data_sent`` marker: only
        #: for a trace recorded with ``--reveal-values`` (launch() sets it from the writer).
        self.keep_payloads = False
        self._attributor: Any = None
        #: catalog id -> (category, data item): asked of the catalog once per API
        self._entries: dict[str, tuple[Any, str | None]] = {}

    def batch(self, batch: EventsBatch, now_ts: float) -> list[Record]:
        """The records of one batch; ``now_ts`` (device ms) dates issues of the batch itself."""
        records: list[Record] = []
        if batch.seq != self.next_batch:
            records.append(TraceIssue(
                ts=now_ts, level="warning", code="batch_gap",
                message=f"agent batch {batch.seq} arrived, {self.next_batch} expected",
                detail={"expected": self.next_batch, "got": batch.seq},
            ))
        self.next_batch = batch.seq + 1
        if batch.stacks:
            for key, frames in batch.stacks.items():
                self.stacks[int(key)] = frames
                self._framework.pop(int(key), None)
        for item in batch.events:
            if item.seq != self.next_seq:
                records.append(self._sequence_issue(item.seq, item.ts))
            self.next_seq = max(self.next_seq, item.seq + 1)
            if isinstance(item, AgentCall):
                record = self.call(item, batch.pid)
                records.append(record)
                if isinstance(record, CallEvent) and record.category in PERSONAL_INFORMATION:
                    category = str(getattr(record.category, "value", record.category))
                    self.transmissions.learn_call(record.ret, Origin(
                        record.seq, batch.pid, record.api, category, record.data or ""))
            elif isinstance(item, AgentNet):
                records.append(self.sent(item, batch.pid))
            else:
                records.append(self.marker(item))
        return records

    def _sequence_issue(self, seq: int, ts: float) -> TraceIssue:
        if seq > self.next_seq:
            missing = seq - self.next_seq
            return TraceIssue(
                ts=ts, level="error", code="sequence_gap",
                message=f"{missing} agent event(s) lost: seq {self.next_seq}..{seq - 1}",
                detail={"from": self.next_seq, "to": seq - 1, "missing": missing},
            )
        return TraceIssue(
            ts=ts, level="error", code="sequence_disorder",
            message=f"agent event seq {seq} after {self.next_seq - 1}",
            detail={"seq": seq, "expected": self.next_seq},
        )

    def call(self, item: AgentCall, pid: int) -> Record:
        entry = self._entries.get(item.id)
        if entry is None:
            found = self.catalog.get(item.id)
            if found is None:
                return TraceIssue(
                    ts=item.ts, level="error", code="unknown_api",
                    message=f"the agent reported {item.id!r}, which the catalog lacks",
                    detail={"seq": item.seq},
                )
            entry = self._entries[item.id] = (found.category, found.data)
        frames, framework = self._frames(item.stack)
        self.events += 1
        # The one record a call is from here to the report (no validation: the batch
        # was checked when it was decoded, the category comes from the catalog).
        return CallEvent(
            seq=item.seq + self.seq_offset,
            ts=item.ts,
            pid=pid,
            tid=item.tid,
            thread=item.thread or "",
            api=item.id,
            category=entry[0],
            data=entry[1],
            overload=item.overload,
            args=item.args,
            ret=item.ret,
            threw=item.threw,
            stack=frames,
            framework=framework,
            process=self.process,
        )

    def _frames(self, stack: int | list[str] | None) -> tuple[list[str], bool]:
        """An item's frames (from the stack table) and whether they are all framework."""
        if isinstance(stack, int):
            frames = self.stacks.get(stack)
            if frames is None:
                return [f"<stack {stack} not received>"], False
            known = self._framework.get(stack)
            if known is None:
                known = self._framework[stack] = framework_only(frames, self.app_package)
            return frames, known
        if stack is None:
            return [], False
        return stack, framework_only(stack, self.app_package)

    def sent(self, item: AgentNet, pid: int) -> Marker:
        """A network write → a ``data_sent`` marker (:mod:`harness.instrument.transmission`)."""
        frames, framework = self._frames(item.stack)
        data = decode_payload(item.payload)
        detail: dict[str, Any] = {
            "hook": item.hook, "layer": item.layer, "host": item.host, "address": item.address,
            "port": item.port, "size": item.size, "thread": item.thread, "tid": item.tid,
            "pid": pid, "framework": framework, "stack": frames[:32],
        }
        if self.process is not None:
            detail["process"] = self.process
        if item.threw is not None:
            detail["threw"] = item.threw
        for key in ("url", "method", "secure"):
            if getattr(item, key) is not None:
                detail[key] = getattr(item, key)
        if data is None:
            detail.update(captured=0, readable=False, format="undecodable", matches=[])
        else:
            fmt, readable = payload_format(data, item.layer)
            connection = (pid, item.local_port, item.address, item.port, item.layer)
            detail.update(
                captured=len(data), sha256=sha256_text(data), format=fmt, readable=readable,
                matches=self.transmissions.find(data, connection),
            )
            if self.keep_payloads:
                detail["payload"] = item.payload
        if self._attributor is None:
            from harness.catalog.attribution import attributor_for

            self._attributor = attributor_for(self.app_package)
        blame = self._attributor(caller_frames(frames))
        detail.update(sdk=blame.sdk, sdk_kind=blame.kind, sdk_prefix=blame.prefix,
                      frame=blame.frame)
        return Marker(marker=MarkerKind.DATA_SENT, ts=item.ts, source="agent",
                      seq=item.seq + self.seq_offset, detail=detail)

    def marker(self, item: AgentMarker) -> Marker:
        detail = dict(item.detail)
        detail.setdefault("thread", item.thread)
        detail.setdefault("tid", item.tid)
        if self.process is not None:
            detail.setdefault("process", self.process)
        return Marker(marker=AGENT_MARKERS[item.kind], ts=item.ts, source="agent",
                      seq=item.seq + self.seq_offset, detail=detail)


def exit_detail(reason: str, crash: Any, dying: AgentDying | None, pid: int) -> dict[str, Any]:
    """How the app process ended, from Frida's detach reason, its crash report and what
    the agent announced before (``how`` = exited | crashed | ended | killed)."""
    detail: dict[str, Any] = {"reason": reason, "pid": pid}
    if crash is not None:
        detail["crash"] = str(getattr(crash, "summary", crash))[:2000]
    if dying is not None:
        detail.update(via=dying.via, announced_ts=dying.ts, **{
            k: v for k, v in dying.detail.items() if k in ("status", "exception")})
    if dying is not None and dying.via != "uncaught" and crash is None:
        detail["how"] = "exited"  # the app ended itself, and said so first
    elif crash is not None or (dying is not None and dying.via == "uncaught"):
        detail["how"] = "crashed"
    elif reason == "process-vanished":
        detail["how"] = "ended"  # gone without Frida noticing
    else:
        detail["how"] = "killed"  # ended from outside (a signal), unannounced
    return detail
