"""An instrumented app: launch paused, inject the agent, stream its events into a trace.

Threads (DESIGN §4.2, frida-tools' reactor pattern): Frida's callbacks (``message``,
``detached``) and the caller's host markers only put items onto ONE queue; a single
consumer thread owns all state — sequence checking, stack table, the trace writer.
The caller's thread only makes RPC calls and waits.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

import frida
from pydantic import ValidationError

from harness.errors import (
    DeviceError,
    HarnessError,
    InstrumentationError,
    ProtocolMismatch,
)
from harness.instrument.agent import agent_source
from harness.instrument.fridadev import FRIDA_ERRORS, pick_frida_device
from harness.instrument.messages import (
    PROTOCOL,
    AgentCall,
    AgentDying,
    AgentError,
    AgentLog,
    AgentMarker,
    EventsBatch,
    HookFailure,
    InitResult,
    parse_message,
)
from harness.model import CallEvent, Marker, MarkerKind, TraceEnd, TraceIssue

log = logging.getLogger(__name__)

Record = CallEvent | Marker | TraceIssue
EndReason = str  # TraceEnd.reason: completed | app_exit | device_lost | error | interrupted


class Strategy(str, Enum):
    AUTO = "auto"  # debug-wait when the device says ro.harness.frida=local, else spawn
    SPAWN = "spawn"  # Frida spawns the app paused (real devices with frida-server)
    DEBUG_WAIT = "debug-wait"  # `am start -D`, attach, agent releases the gate


class DeviceLike(Protocol):
    """What this module needs of :class:`harness.device.Device`."""

    @property
    def serial(self) -> str: ...

    def props(self) -> Any: ...

    def start(
        self, package: str, activity: str | None = None, *, wait_debugger: bool = False
    ) -> Any: ...

    def pidof(self, package: str) -> int | None: ...

    def force_stop(self, package: str) -> Any: ...


class WriterLike(Protocol):
    """What this module needs of :class:`harness.tracefile.TraceWriter`."""

    def write(self, records: Iterable[Record]) -> None: ...

    def close(self, end: TraceEnd | None = None) -> None: ...


class CatalogLike(Protocol):
    @property
    def hash(self) -> str: ...

    def for_agent(self) -> list[dict[str, Any]]: ...

    def get(self, entry_id: str) -> Any: ...


@dataclass(frozen=True)
class HookReport:
    installed: list[str]
    failed: list[HookFailure]
    warnings: list[HookFailure]
    skipped: list[str]
    absent: list[str]
    ui_hooks: list[str]
    stack: str
    runtime: str


@dataclass(frozen=True)
class LaunchInfo:
    """Known once the agent is in; handed to a writer factory to build the trace header."""

    package: str
    serial: str
    pid: int
    strategy: Strategy
    frida_kind: str
    clock_offset_ms: float
    hooks: HookReport
    timings_ms: dict[str, float] = field(default_factory=dict)


WriterFactory = Callable[[LaunchInfo], WriterLike]


def _is_device_lost(exc: BaseException) -> bool:
    try:
        from harness.device import DeviceLost
    except ImportError:  # the device core is not there: only its name can tell
        return type(exc).__name__ == "DeviceLost"
    return isinstance(exc, DeviceLost)


def _call_with_timeout(call: Callable[[], Any], timeout: float) -> bool:
    """Run a blocking RPC, giving up after ``timeout`` s (an app stuck in its exit path
    never answers, and Frida's synchronous exports have no deadline). Returns whether it
    finished; its exception, if any, is raised here."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 — handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=run, name="frida-rpc", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return False
    if outcome[0] is not None:
        raise outcome[0]
    return True


def _now_ms() -> float:
    return time.time() * 1000.0


# Items on the consumer queue: (kind, a, b)
_MESSAGE = "message"
_DETACHED = "detached"
_RECORDS = "records"
_BARRIER = "barrier"
_EYES_LOST = "eyes_lost"
_QUIT = "quit"


class InstrumentedApp:
    """One app process with the agent loaded; build it with :func:`launch`."""

    def __init__(
        self,
        *,
        device: DeviceLike,
        package: str,
        catalog: CatalogLike,
        frida_device: frida.Device,
        frida_kind: str,
        strategy: Strategy,
        on_record: Callable[[Record], None] | None = None,
    ) -> None:
        self.device = device
        self.package = package
        self.catalog = catalog
        self.frida_device = frida_device
        self.frida_kind = frida_kind
        self.strategy = strategy
        self.on_record = on_record
        self.pid = 0
        self.hooks: HookReport | None = None
        self.clock_offset_ms = 0.0
        self.timings_ms: dict[str, float] = {}
        self._session: frida.Session | None = None
        self._script: frida.Script | None = None
        self._writer: WriterLike | None = None
        self._queue: queue.SimpleQueue[tuple[str, Any, Any]] = queue.SimpleQueue()
        self._consumer: threading.Thread | None = None
        self._detached = threading.Event()
        self._detach_reason: str | None = None
        #: Set when the eyes are gone for any reason: detach, script destroyed, no ping.
        self._gone = threading.Event()
        #: Why the eyes were lost while the app lived (None: they were not).
        self._eyes_lost: str | None = None
        self._detaching_self = False  # our own session.detach(): not a loss
        #: How the app process ended, once it did on its own (consumer-owned).
        self._exit_info: dict[str, Any] | None = None
        self._dying: AgentDying | None = None
        self._stopped = False
        self._stopping = threading.Event()  # the host is stopping the app: exit expected
        # consumer-owned state
        self._next_seq = 0
        self._next_batch = 0
        self._stacks: dict[int, list[str]] = {}
        self._events = 0
        self._last_ts = 0.0
        self._pending_host: list[Record] = []

    # ------------------------------------------------------------------ public API

    @property
    def events(self) -> int:
        """Calls received so far (read from any thread; exact after :meth:`flush`)."""
        return self._events

    @property
    def alive(self) -> bool:
        """Whether the agent is still watching (session attached, script loaded)."""
        return not self._gone.is_set()

    @property
    def detach_reason(self) -> str | None:
        return self._detach_reason

    @property
    def eyes_lost(self) -> str | None:
        """Why the agent stopped watching while the app lived, or None."""
        return self._eyes_lost

    @property
    def exit_info(self) -> dict[str, Any] | None:
        """How the app process ended on its own (the ``app_exit`` marker's detail:
        ``how`` = exited | crashed | killed | ended, ``via``, ``ts``), or None. Exact after
        :meth:`wait` returned ``app_exit``."""
        return self._exit_info

    def device_ms(self, host_s: float | None = None) -> float:
        """A host time (``time.time()`` seconds; now if None) on the device clock, in ms."""
        return (time.time() if host_s is None else host_s) * 1000.0 + self.clock_offset_ms

    def add_host_marker(
        self,
        kind: MarkerKind | str,
        detail: dict[str, Any] | None = None,
        host_s: float | None = None,
    ) -> Marker:
        """Record something the host did or saw (host clock converted to the device's)."""
        marker = Marker(
            marker=MarkerKind(kind), ts=self.device_ms(host_s), source="host", detail=detail or {}
        )
        self._queue.put((_RECORDS, [marker], None))
        return marker

    def add_records(self, records: list[Record]) -> None:
        """Queue records of the caller's own (device clock) for the trace, in order."""
        self._queue.put((_RECORDS, list(records), None))

    def add_issue(self, code: str, message: str, level: str = "warning", **detail: Any) -> None:
        issue = TraceIssue(
            ts=self.device_ms(), level=level, code=code, message=message, detail=detail
        )  # type: ignore[arg-type]
        self._queue.put((_RECORDS, [issue], None))

    def flush(self, timeout: float = 10.0) -> int:
        """Ask the agent to send what it holds, and wait until it is written.

        Returns the number of calls written so far. A dead app is not an error here.
        """
        if self.alive and self._script is not None:
            script = self._script
            try:
                if not _call_with_timeout(lambda: script.exports_sync.flush(), timeout):
                    log.warning("%s: the agent did not answer flush() within %gs "
                                "(the app may be exiting); going on", self.package, timeout)
            except FRIDA_ERRORS as exc:
                if self.alive:
                    log.debug("flush over RPC failed: %s", exc)
        self._barrier(timeout)
        return self._events

    def wait(
        self,
        duration: float | None,
        poll: float = 1.0,
        cancel: threading.Event | None = None,
    ) -> str:
        """Wait ``duration`` seconds (None = until the app exits or the device is lost).

        Returns ``"timeout"``, ``"app_exit"`` (the process ended: :attr:`exit_info`),
        ``"eyes_lost"`` (the agent stopped watching while the app lives),
        ``"device_lost"``, or ``"cancelled"`` (``cancel`` was set).
        """
        deadline = None if duration is None else time.monotonic() + duration
        next_ping = time.monotonic() + PING_EVERY_S
        while True:
            if cancel is not None and cancel.is_set():
                return "cancelled"
            left = poll if deadline is None else min(poll, deadline - time.monotonic())
            if left <= 0:
                return "timeout"
            if self._gone.wait(left):
                return self._gone_outcome()
            try:
                pid = self.device.pidof(self.package)
            except HarnessError as exc:
                if _is_device_lost(exc):
                    return "device_lost"
                continue
            if pid is None:
                if not self._gone.wait(5.0):
                    # the process is gone and Frida did not say so: an end nobody saw
                    self._queue.put((_DETACHED, "process-vanished", None))
                    self._gone.set()
                return self._gone_outcome()
            if time.monotonic() >= next_ping:
                next_ping = time.monotonic() + PING_EVERY_S
                self._watchdog()

    def _gone_outcome(self) -> str:
        self._barrier(10.0)  # the consumer has classified the end by now
        if self._detach_reason in _LOST:
            return "device_lost"
        if self._eyes_lost is not None:
            return "eyes_lost"
        return "app_exit"

    def _watchdog(self) -> None:
        """An agent that stops answering ``ping`` while its app lives is lost eyes."""
        script = self._script
        if script is None or self._gone.is_set():
            return
        try:
            answered = _call_with_timeout(lambda: script.exports_sync.ping(), PING_TIMEOUT_S)
        except FRIDA_ERRORS:
            answered = False
        if answered or self._gone.is_set():
            return
        try:
            alive = self.device.pidof(self.package) is not None
        except HarnessError:
            return
        if alive and not self._gone.is_set():
            self._lose_eyes(f"the agent did not answer ping() within {PING_TIMEOUT_S:g}s")

    def stop(self, reason: EndReason = "completed", *, close_writer: bool = True) -> TraceEnd:
        """Flush, stop the app, expect ``detached``, write the end record.

        ``reason`` is overridden by what actually happened: ``device_lost`` when the
        device vanished, ``app_exit`` when the app had died before the stop.
        """
        if self._stopped:
            raise InstrumentationError("this instrumented app was already stopped")
        self._stopped = True
        gone_before = self._gone.is_set()
        if gone_before:
            self._barrier(10.0)
        lost = self._detach_reason in _LOST
        eyes_lost = self._eyes_lost
        # an app whose eyes were lost still runs: it is stopped like a live one
        exited_before = gone_before and eyes_lost is None
        message: str | None = None
        if not gone_before:
            self.flush()
        if not exited_before and not lost:
            self._stopping.set()
            try:
                self.device.force_stop(self.package)
            except HarnessError as exc:
                if _is_device_lost(exc):
                    lost = True
                    message = f"device lost while stopping the app: {exc}"
                else:
                    message = f"force-stop failed: {exc}"
            if not self._detached.wait(5.0):
                self._kill_and_detach()
        self._barrier(10.0)
        if lost:
            final: EndReason = "device_lost"
        elif eyes_lost is not None and reason == "completed":
            final = "error"
            message = f"the agent stopped watching while the app ran: {eyes_lost}"
        elif exited_before and reason == "completed":
            final = "app_exit"
        else:
            final = reason
        end = TraceEnd(
            ts=max(self._last_ts, self.device_ms()),
            reason=final,  # type: ignore[arg-type]
            events=self._events,
            message=message,
        )
        self._queue.put((_QUIT, None, None))
        if self._consumer is not None:
            self._consumer.join(10.0)
        if close_writer and self._writer is not None:
            self._writer.close(end)
        return end

    def close(self) -> None:
        """Stop if not stopped (as ``interrupted``); idempotent."""
        if not self._stopped:
            self.stop("interrupted")

    def __enter__(self) -> InstrumentedApp:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._stopped:
            return
        if exc is None:
            self.stop("completed")
        elif isinstance(exc, KeyboardInterrupt):
            self.stop("interrupted")
        else:
            self.stop("error")

    # ------------------------------------------------------------------ launch steps

    def _attach_and_load(self, pid: int) -> None:
        self.pid = pid
        t0 = time.monotonic()
        try:
            session = self.frida_device.attach(pid)
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(
                f"cannot attach to {self.package} (pid {pid}): {exc}"
            ) from exc
        self._session = session
        session.on("detached", self._on_detached)
        t1 = time.monotonic()
        try:
            script = session.create_script(agent_source())
            script.on("message", self._on_message)
            script.on("destroyed", self._on_destroyed)
            script.load()
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"cannot load the agent into {self.package}: {exc}") from exc
        self._script = script
        t2 = time.monotonic()
        self.timings_ms.update(attach=(t1 - t0) * 1e3, load=(t2 - t1) * 1e3)

    def _measure_clock(self, rounds: int = 3) -> None:
        assert self._script is not None
        best: tuple[float, float] | None = None
        for _ in range(rounds):
            t0 = time.time()
            try:
                dev = float(self._script.exports_sync.ping())
            except FRIDA_ERRORS as exc:
                raise InstrumentationError(f"the agent does not answer ping(): {exc}") from exc
            t1 = time.time()
            rtt = t1 - t0
            offset = dev - (t0 + t1) / 2 * 1000.0
            if best is None or rtt < best[0]:
                best = (rtt, offset)
        assert best is not None
        self.clock_offset_ms = best[1]

    def _init(self, config: dict[str, Any]) -> InitResult:
        assert self._script is not None
        t0 = time.monotonic()
        try:
            raw = self._script.exports_sync.init(config)
        except frida.core.RPCException as exc:
            if "protocol mismatch" in str(exc):
                raise ProtocolMismatch(f"agent and host disagree: {exc}") from exc
            raise InstrumentationError(f"the agent's init() failed: {exc}") from exc
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"the agent's init() failed: {exc}") from exc
        try:
            result = InitResult.model_validate(raw)
        except ValidationError as exc:
            raise InstrumentationError(f"the agent's init() answered {raw!r}: {exc}") from exc
        if result.protocol != PROTOCOL:
            raise ProtocolMismatch(
                f"the agent speaks protocol {result.protocol}, this host speaks {PROTOCOL}; "
                "reinstall consent-harness so that harness/hooks/agent.js matches"
            )
        self.timings_ms["init"] = (time.monotonic() - t0) * 1e3
        self.hooks = HookReport(
            installed=result.installed,
            failed=result.failed,
            warnings=result.warnings,
            skipped=result.skipped,
            absent=result.absent,
            ui_hooks=result.ui_hooks,
            stack=result.stack,
            runtime=result.runtime,
        )
        return result

    def _barrier_rpc(self) -> float:
        """An RPC after init(): runs after the bridge has applied the hooks (nextTick)."""
        assert self._script is not None
        try:
            return float(self._script.exports_sync.ping())
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"the agent does not answer ping(): {exc}") from exc

    def _start_consumer(self, writer: WriterLike) -> None:
        self._writer = writer
        self._consumer = threading.Thread(
            target=self._run, name=f"instrument-{self.package}", daemon=True
        )
        self._consumer.start()

    def _kill_and_detach(self) -> None:
        try:
            self.frida_device.kill(self.pid)
        except FRIDA_ERRORS as exc:
            log.debug("frida kill %d: %s", self.pid, exc)
        if not self._detached.wait(3.0) and self._session is not None:
            self._detaching_self = True
            try:
                self._session.detach()
            except FRIDA_ERRORS as exc:
                log.debug("detach: %s", exc)
            self._detached.wait(3.0)

    def _abort(self) -> None:
        """Launch failed half-way: leave nothing running."""
        self._detaching_self = True
        if self._session is not None:
            try:
                self._session.detach()
            except FRIDA_ERRORS:
                pass
        try:
            self.device.force_stop(self.package)
        except HarnessError:
            pass
        if self._consumer is not None:
            self._queue.put((_QUIT, None, None))
            self._consumer.join(5.0)

    # ------------------------------------------------------------------ Frida callbacks
    # They run on Frida's threads and only enqueue.

    def _on_message(self, message: Any, data: bytes | None) -> None:
        self._queue.put((_MESSAGE, message, data))

    def _on_detached(self, reason: str, crash: Any) -> None:
        reason = str(reason)
        if reason == "application-requested" and self._detaching_self:
            self._detach_reason = reason
            self._detached.set()
            self._gone.set()
            return
        self._detach_reason = reason
        if reason not in _APP_ENDED and reason not in _LOST and not self._stopping.is_set():
            self._lose_eyes(f"the Frida session detached ({reason})")
        self._queue.put((_DETACHED, reason, crash))
        self._detached.set()
        self._gone.set()

    def _on_destroyed(self) -> None:
        # The script was unloaded or destroyed. A dying process destroys it too, just
        # before the session's `detached`: decide on another thread, once that had time.
        if self._stopping.is_set() or self._detached.is_set() or self._stopped:
            return
        threading.Thread(target=self._judge_destroyed, name="frida-destroyed",
                         daemon=True).start()

    def _judge_destroyed(self) -> None:
        if self._detached.wait(3.0) or self._stopping.is_set():
            return
        try:
            alive = self.device.pidof(self.package) == self.pid
        except HarnessError:
            alive = True  # cannot tell: the eyes are gone either way
        if alive:
            self._lose_eyes("the agent script was destroyed (unloaded)")
        elif not self._detached.is_set():
            self._queue.put((_DETACHED, "process-vanished", None))
            self._gone.set()

    def _lose_eyes(self, why: str) -> None:
        """The agent stopped watching while the app may live: a trace issue (error)."""
        if self._eyes_lost is not None:
            return
        self._eyes_lost = why
        self._queue.put((_EYES_LOST, why, None))
        self._gone.set()

    # ------------------------------------------------------------------ consumer thread

    def _barrier(self, timeout: float) -> None:
        if self._consumer is None or not self._consumer.is_alive():
            return
        done = threading.Event()
        self._queue.put((_BARRIER, done, None))
        done.wait(timeout)

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
                    self._emit([self._issue(
                        "error", "eyes_lost",
                        f"{a} while the app (pid {self.pid}) was still running: "
                        "nothing it did after this was seen", pid=self.pid)])
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
            self._last_ts = max(self._last_ts, r.ts)
        if self.on_record is not None:
            for r in records:
                try:
                    self.on_record(r)
                except Exception:  # noqa: BLE001 - a printing callback must not stop recording
                    log.exception("on_record callback failed")

    def _handle_message(self, message: dict[str, Any]) -> None:
        mtype = message.get("type")
        if mtype == "error":
            self._emit(
                [
                    self._issue(
                        "error",
                        "agent_script_error",
                        str(message.get("description")),
                        stack=message.get("stack"),
                    )
                ]
            )
            return
        if mtype != "send":
            return
        payload = message.get("payload")
        try:
            msg = parse_message(payload)
        except ValidationError as exc:
            self._emit(
                [
                    self._issue(
                        "error",
                        "agent_bad_message",
                        f"unexpected agent message: {exc}",
                        payload=repr(payload)[:500],
                    )
                ]
            )
            return
        if isinstance(msg, EventsBatch):
            self._emit(self._batch_records(msg))
        elif isinstance(msg, AgentDying):
            # everything the agent sent before this is written: let the death proceed
            self._dying = msg
            script = self._script
            if script is not None:
                try:
                    script.post({"type": "ack", "token": msg.token})
                except FRIDA_ERRORS as exc:
                    log.debug("ack to a dying agent: %s", exc)
        elif isinstance(msg, AgentError):
            self._emit(
                [
                    self._issue(
                        "warning",
                        "agent_error",
                        f"{msg.source}: {msg.message}",
                        source=msg.source,
                        stack=msg.stack,
                        count=msg.count,
                    )
                ]
            )
        elif isinstance(msg, AgentLog):
            if msg.level in ("warning", "error"):
                self._emit([self._issue("warning", "agent_log", msg.message)])
            else:
                log.debug("agent: %s", msg.message)

    def _issue(self, level: str, code: str, message: str, **detail: Any) -> TraceIssue:
        return TraceIssue(
            ts=max(self._last_ts, self.device_ms()),
            level=level,  # type: ignore[arg-type]
            code=code,
            message=message,
            detail=detail,
        )

    def _batch_records(self, batch: EventsBatch) -> list[Record]:
        records: list[Record] = []
        if batch.seq != self._next_batch:
            records.append(
                self._issue(
                    "warning",
                    "batch_gap",
                    f"agent batch {batch.seq} arrived, {self._next_batch} expected",
                    expected=self._next_batch,
                    got=batch.seq,
                )
            )
        self._next_batch = batch.seq + 1
        if batch.stacks:
            for key, frames in batch.stacks.items():
                self._stacks[int(key)] = frames
        for item in batch.events:
            if item.seq != self._next_seq:
                if item.seq > self._next_seq:
                    missing = item.seq - self._next_seq
                    records.append(
                        TraceIssue(
                            ts=item.ts,
                            level="error",
                            code="sequence_gap",
                            message=f"{missing} agent event(s) lost: "
                            f"seq {self._next_seq}..{item.seq - 1}",
                            detail={"from": self._next_seq, "to": item.seq - 1, "missing": missing},
                        )
                    )
                else:
                    records.append(
                        TraceIssue(
                            ts=item.ts,
                            level="error",
                            code="sequence_disorder",
                            message=f"agent event seq {item.seq} after {self._next_seq - 1}",
                            detail={"seq": item.seq, "expected": self._next_seq},
                        )
                    )
            self._next_seq = max(self._next_seq, item.seq + 1)
            if isinstance(item, AgentCall):
                records.append(self._call(item, batch.pid))
            else:
                records.append(self._marker(item))
        return records

    def _call(self, item: AgentCall, pid: int) -> Record:
        entry = self.catalog.get(item.id)
        if entry is None:
            return TraceIssue(
                ts=item.ts,
                level="error",
                code="unknown_api",
                message=f"the agent reported {item.id!r}, which the catalog lacks",
                detail={"seq": item.seq},
            )
        stack = item.stack
        if isinstance(stack, int):
            frames = self._stacks.get(stack)
            if frames is None:
                frames = [f"<stack {stack} not received>"]
        elif stack is None:
            frames = []
        else:
            frames = stack
        self._events += 1
        # Every field was validated with the agent message (and the catalog entry): build
        # without validating twice — this is the host's hot path (benchmarks/).
        return CallEvent.model_construct(
            kind="call",
            seq=item.seq,
            ts=item.ts,
            pid=pid,
            tid=item.tid,
            thread=item.thread or "",
            api=item.id,
            category=entry.category,
            data=entry.data,
            overload=item.overload,
            args=item.args,
            ret=item.ret,
            threw=item.threw,
            stack=frames,
        )

    def _marker(self, item: AgentMarker) -> Marker:
        kind = {
            "hooks_ready": MarkerKind.HOOKS_READY,
            "dialog_shown": MarkerKind.DIALOG_SHOWN,
            "view_clicked": MarkerKind.VIEW_CLICKED,
            "activity_resumed": MarkerKind.ACTIVITY_RESUMED,
            "permission_prompt": MarkerKind.PERMISSION_PROMPT,
        }[item.kind]
        detail = dict(item.detail)
        detail.setdefault("thread", item.thread)
        detail.setdefault("tid", item.tid)
        return Marker(marker=kind, ts=item.ts, source="agent", seq=item.seq, detail=detail)

    def _handle_detached(self, reason: str, crash: Any) -> None:
        if reason == "application-requested" and self._detaching_self:
            return
        if reason in _LOST:
            self._emit([self._issue("error", "device_lost", f"Frida lost the device: {reason}")])
            return
        if self._stopping.is_set():
            return  # the host stopped the app itself: not an exit of the app's own
        if reason not in _APP_ENDED:
            return  # lost eyes: the issue is on its way (_lose_eyes)
        detail: dict[str, Any] = {"reason": reason, "pid": self.pid}
        dying = self._dying
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
        self._exit_info = dict(detail, ts=max(self._last_ts, self.device_ms()))
        self._emit(
            [
                Marker(
                    marker=MarkerKind.APP_EXIT,
                    ts=max(self._last_ts, self.device_ms()),
                    source="host",
                    detail=detail,
                )
            ]
        )


_LOST = frozenset({"connection-terminated", "device-lost"})
#: Detach reasons that mean the app process itself ended.
_APP_ENDED = frozenset({"process-terminated", "process-vanished"})
#: How often :meth:`InstrumentedApp.wait` checks that the agent still answers, and how
#: long an answer may take (generous: a loaded machine is slow, not blind).
PING_EVERY_S = 5.0
PING_TIMEOUT_S = 20.0


def agent_config(
    catalog: CatalogLike,
    *,
    package: str,
    release_debugger: bool,
    stack: bool | int = True,
    batch_max: int = 500,
    batch_ms: int = 50,
    sdk_int: int | None = None,
    stack_strategy: str | None = None,
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "protocol": PROTOCOL,
        "catalog": catalog.for_agent(),
        "batch_max": batch_max,
        "batch_ms": batch_ms,
        "stack": stack,
        "app_package": package,
        "release_debugger": release_debugger,
    }
    if sdk_int is not None:
        config["sdk_int"] = sdk_int
    if stack_strategy is not None:
        config["stack_strategy"] = stack_strategy
    return config


def launch(
    device: DeviceLike,
    package: str,
    writer: WriterLike | WriterFactory,
    *,
    catalog: CatalogLike | None = None,
    strategy: Strategy | str = Strategy.AUTO,
    remote: str | None = None,
    stack: bool | int = True,
    batch_max: int = 500,
    batch_ms: int = 50,
    on_record: Callable[[Record], None] | None = None,
    timeout: float = 30.0,
    stack_strategy: str | None = None,
) -> InstrumentedApp:
    """Start ``package`` paused, inject the agent before its first instruction, release it.

    ``writer`` is a trace writer, or a factory called with the :class:`LaunchInfo` (clock
    offset, hooks) once they are known — before the app runs its first instruction.
    """
    if catalog is None:
        from harness.catalog import load_catalog

        catalog = load_catalog()
    t_start = time.monotonic()
    try:
        props = device.props()
    except DeviceError as exc:
        raise exc
    frida_prop = getattr(props, "frida", None)
    sdk_int = getattr(props, "sdk_int", None)
    target = pick_frida_device(device.serial, frida_prop, remote=remote)
    strategy = Strategy(strategy)
    if strategy is Strategy.AUTO:
        strategy = Strategy.DEBUG_WAIT if frida_prop == "local" else Strategy.SPAWN
    app = InstrumentedApp(
        device=device,
        package=package,
        catalog=catalog,
        frida_device=target.device,
        frida_kind=target.kind,
        strategy=strategy,
        on_record=on_record,
    )
    config = agent_config(
        catalog,
        package=package,
        stack=stack,
        batch_max=batch_max,
        batch_ms=batch_ms,
        sdk_int=sdk_int,
        stack_strategy=stack_strategy,
        release_debugger=strategy is Strategy.DEBUG_WAIT,
    )
    try:
        device.force_stop(package)
        t_launch = time.time()
        if strategy is Strategy.DEBUG_WAIT:
            device.start(package, wait_debugger=True)
            pid = _wait_pid(device, package, timeout)
            app.timings_ms["pid"] = (time.monotonic() - t_start) * 1e3
            if target.kind == "local" and not wait_local_vm_ready(pid, timeout):
                log.warning("pid %d: no sign of a booted JVM; attaching anyway", pid)
            app.timings_ms["vm_ready"] = (time.monotonic() - t_start) * 1e3
            app._attach_and_load(pid)
        else:
            try:
                pid = target.device.spawn(package)
            except FRIDA_ERRORS as exc:
                raise InstrumentationError(f"Frida cannot spawn {package}: {exc}") from exc
            app._attach_and_load(pid)
        app._measure_clock()
        # queued before init(): the consumer keeps queue order, so it precedes every event
        app._queue.put(
            (
                _RECORDS,
                [
                    Marker(
                        marker=MarkerKind.LAUNCHED,
                        ts=app.device_ms(t_launch),
                        source="host",
                        detail={"pid": pid, "strategy": strategy.value, "frida": target.kind},
                    ),
                ],
                None,
            )
        )
        app._init(config)  # the agent's first item is its hooks_ready marker (seq 0)
        app._barrier_rpc()
        assert app.hooks is not None
        info = LaunchInfo(
            package=package,
            serial=device.serial,
            pid=pid,
            strategy=strategy,
            frida_kind=target.kind,
            clock_offset_ms=app.clock_offset_ms,
            hooks=app.hooks,
            timings_ms=app.timings_ms,
        )
        w = writer(info) if callable(writer) and not hasattr(writer, "write") else writer
        app._start_consumer(w)  # type: ignore[arg-type]
        if strategy is Strategy.SPAWN:
            try:
                target.device.resume(pid)
            except FRIDA_ERRORS as exc:
                raise InstrumentationError(f"cannot resume {package}: {exc}") from exc
        app.timings_ms["total"] = (time.monotonic() - t_start) * 1e3
    except BaseException:
        app._abort()
        raise
    return app


#: A HotSpot thread started at the end of VM initialisation (java.lang.ref.Cleaner).
_VM_READY_THREADS = frozenset({"Common-Cleaner"})


def wait_local_vm_ready(pid: int, timeout: float = 10.0) -> bool:
    """For a process on this host: wait until its JVM has finished booting.

    Injecting while a JVM is still being created crashed the target or timed out (in
    about half of the runs attached within ~20 ms of the exec); once HotSpot's
    ``Common-Cleaner`` thread exists it never did. Returns False on timeout, or when
    the process is not a HotSpot JVM that can be looked at in /proc.
    """
    deadline = time.monotonic() + timeout
    task_dir = Path(f"/proc/{pid}/task")
    while time.monotonic() < deadline:
        try:
            for task in task_dir.iterdir():
                try:
                    if (task / "comm").read_text().strip() in _VM_READY_THREADS:
                        return True
                except OSError:
                    continue
        except OSError:
            return False
        time.sleep(0.005)
    return False


def _wait_pid(device: DeviceLike, package: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        pid = device.pidof(package)
        if pid is not None:
            return pid
        if time.monotonic() > deadline:
            raise InstrumentationError(
                f"{package} did not start within {timeout:g} s after `am start -D` (no pid)"
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
