"""The reactor of an instrumented app: ONE consumer thread owns a recording's state.

Frida's callbacks (``message``, ``detached``) and the caller's host markers only put items
onto the reactor's queue (DESIGN §4.2, frida-tools' reactor pattern); the consumer thread
decodes agent messages, translates batches (:class:`~harness.instrument.translate.Translator`:
sequence checks, the stack table), writes the records and classifies how the app ended.
Nothing else touches that state; the session (:mod:`harness.instrument.session`) asks
through the methods below.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from harness.errors import HarnessError
from harness.instrument.fridadev import FRIDA_ERRORS
from harness.instrument.messages import (
    AgentDying,
    AgentError,
    AgentLog,
    EventsBatch,
    MessageError,
    parse_message,
)
from harness.instrument.translate import Translator, exit_detail
from harness.instrument.types import Record, WriterLike
from harness.model import Marker, MarkerKind, TraceIssue

log = logging.getLogger(__name__)

#: Detach reasons that mean the device (or Frida's link to it) is gone.
LOST = frozenset({"connection-terminated", "device-lost"})
#: Detach reasons that mean the app process itself ended.
APP_ENDED = frozenset({"process-terminated", "process-vanished"})

# Items on the queue: (kind, a, b)
_MESSAGE = "message"
_DETACHED = "detached"
_RECORDS = "records"
_BARRIER = "barrier"
_EYES_LOST = "eyes_lost"
_QUIT = "quit"


class ReactorHost(Protocol):
    """What the reactor needs of the session that feeds it."""

    @property
    def pid(self) -> int: ...

    def device_ms(self, host_s: float | None = None) -> float: ...

    def post_to_agent(self, message: dict[str, Any]) -> None:
        """Post a message to the agent (the ack of a ``dying`` message)."""
        ...

    @property
    def stopping(self) -> bool:
        """The host is stopping the app itself: its end is not the app's own."""
        ...

    @property
    def detaching_self(self) -> bool:
        """The host detached its own session: not a loss."""
        ...


class Reactor:
    """The queue and the consumer thread of one instrumented app."""

    def __init__(
        self,
        host: ReactorHost,
        translator: Translator,
        name: str,
        on_record: Callable[[Record], None] | None = None,
        *,
        process: str | None = None,
    ) -> None:
        self.host = host
        #: Set for a further process of the app (``pkg:push``): its end is not the app's
        #: (no ``app_exit`` marker — a ``process_exit`` issue says it).
        self.process = process
        self.translator = translator
        self.name = name
        self.on_record = on_record
        self._queue: queue.SimpleQueue[tuple[str, Any, Any]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        # consumer-owned state
        self._writer: WriterLike | None = None
        self.last_ts = 0.0
        #: What the agent announced before the process died, if it did.
        self.dying: AgentDying | None = None
        #: How the app process ended on its own (the ``app_exit`` marker's detail, ``ts``).
        self.exit_info: dict[str, Any] | None = None

    # ------------------------------------------------------------------ any thread

    @property
    def writer(self) -> WriterLike | None:
        return self._writer

    def start(self, writer: WriterLike) -> None:
        """From now on, records go to ``writer``."""
        self._writer = writer
        self._thread = threading.Thread(target=self._run, name=f"instrument-{self.name}",
                                        daemon=True)
        self._thread.start()

    def put_message(self, message: Any, data: bytes | None) -> None:
        self._queue.put((_MESSAGE, message, data))

    def put_records(self, records: list[Record]) -> None:
        self._queue.put((_RECORDS, list(records), None))

    def put_detached(self, reason: str, crash: Any) -> None:
        self._queue.put((_DETACHED, reason, crash))

    def put_eyes_lost(self, why: str) -> None:
        self._queue.put((_EYES_LOST, why, None))

    def barrier(self, timeout: float) -> None:
        """Wait until everything queued before this call has been handled."""
        if self._thread is None or not self._thread.is_alive():
            return
        done = threading.Event()
        self._queue.put((_BARRIER, done, None))
        done.wait(timeout)

    def quit(self, timeout: float) -> None:
        """Stop the consumer once the queue before this call is handled."""
        if self._thread is None:
            return
        self._queue.put((_QUIT, None, None))
        self._thread.join(timeout)

    # ------------------------------------------------------------------ consumer thread

    def _run(self) -> None:
        while True:
            kind, a, b = self._queue.get()
            try:
                if kind == _MESSAGE:
                    self._handle_message(a)
                elif kind == _RECORDS:
                    self._emit(a)
                elif kind == _DETACHED:
                    self._handle_detached(a, b)
                elif kind == _EYES_LOST:
                    pid = self.host.pid
                    self._emit([self._issue(
                        "error", "eyes_lost",
                        f"{a} while the app (pid {pid}) was still running: "
                        "nothing it did after this was seen", pid=pid)])
                elif kind == _BARRIER:
                    a.set()
                elif kind == _QUIT:
                    return
            except HarnessError as exc:
                # the writer failed (disk full…): nothing more can be recorded
                log.error("cannot record: %s", exc)
                if kind == _BARRIER:
                    a.set()

    def _emit(self, records: list[Record]) -> None:
        if not records or self._writer is None:
            return
        self._writer.write(records)
        for r in records:
            self.last_ts = max(self.last_ts, r.ts)
        if self.on_record is not None:
            for r in records:
                try:
                    self.on_record(r)
                except Exception:  # noqa: BLE001 - a printing callback must not stop recording
                    log.exception("on_record callback failed")

    def _now(self) -> float:
        return max(self.last_ts, self.host.device_ms())

    def _handle_message(self, message: dict[str, Any]) -> None:
        mtype = message.get("type")
        if mtype == "error":
            self._emit([self._issue("error", "agent_script_error",
                                    str(message.get("description")), stack=message.get("stack"))])
            return
        if mtype != "send":
            return
        payload = message.get("payload")
        try:
            msg = parse_message(payload)
        except MessageError as exc:
            self._emit([self._issue("error", "agent_bad_message",
                                    f"unexpected agent message: {exc}",
                                    payload=repr(payload)[:500])])
            return
        if isinstance(msg, EventsBatch):
            self._emit(self.translator.batch(msg, self._now()))
        elif isinstance(msg, AgentDying):
            # everything the agent sent before this is written: let the death proceed
            self.dying = msg
            try:
                self.host.post_to_agent({"type": "ack", "token": msg.token})
            except FRIDA_ERRORS as exc:
                log.debug("ack to a dying agent: %s", exc)
        elif isinstance(msg, AgentError):
            self._emit([self._issue("warning", "agent_error", f"{msg.source}: {msg.message}",
                                    source=msg.source, stack=msg.stack, count=msg.count)])
        elif isinstance(msg, AgentLog):
            if msg.level in ("warning", "error"):
                self._emit([self._issue("warning", "agent_log", msg.message)])
            else:
                log.debug("agent: %s", msg.message)

    def _issue(self, level: str, code: str, message: str, **detail: Any) -> TraceIssue:
        return TraceIssue(
            ts=self._now(),
            level=level,  # type: ignore[arg-type]
            code=code,
            message=message,
            detail=detail,
        )

    def _handle_detached(self, reason: str, crash: Any) -> None:
        if reason == "application-requested" and self.host.detaching_self:
            return
        if reason in LOST:
            self._emit([self._issue("error", "device_lost", f"Frida lost the device: {reason}")])
            return
        if self.host.stopping:
            return  # the host stopped the app itself: not an exit of the app's own
        if reason not in APP_ENDED:
            return  # lost eyes: the issue is on its way (the session's _lose_eyes)
        detail = exit_detail(reason, crash, self.dying, self.host.pid)
        ts = self._now()
        if self.process is not None:
            detail["process"] = self.process
            self._emit([self._issue(
                "warning", "process_exit",
                f"process {self.process} (pid {self.host.pid}) ended ({detail['how']})",
                **detail)])
            return
        self.exit_info = dict(detail, ts=ts)
        self._emit([Marker(marker=MarkerKind.APP_EXIT, ts=ts, source="host", detail=detail)])
