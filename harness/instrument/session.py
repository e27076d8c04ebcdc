"""An instrumented app: the agent's session and its RPCs (launch strategies:
:mod:`harness.instrument.launch`; the consumer thread that owns the recording:
:mod:`harness.instrument.reactor`; batch → records: :mod:`harness.instrument.translate`).

Threads (DESIGN §4.2, frida-tools' reactor pattern): Frida's callbacks (``message``,
``detached``) and the caller's host markers only put items onto the reactor's queue; its
one consumer thread owns all recording state. The caller's thread only makes RPC calls
and waits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import frida
from pydantic import ValidationError

from harness.errors import HarnessError, InstrumentationError, ProtocolMismatch
from harness.instrument.agent import agent_source
from harness.instrument.children import ProcessWatcher, SharedWriter, locked
from harness.instrument.fridadev import FRIDA_ERRORS
from harness.instrument.messages import PROTOCOL, AgentConfig, InitResult
from harness.instrument.reactor import APP_ENDED, LOST, Reactor
from harness.instrument.translate import Translator
from harness.instrument.types import (
    CatalogLike,
    DeviceLike,
    EndReason,
    HookReport,
    Record,
    Strategy,
    WriterLike,
)
from harness.model import Marker, MarkerKind, TraceEnd, TraceIssue

log = logging.getLogger(__name__)

_LOST = LOST
_APP_ENDED = APP_ENDED
#: How often :meth:`InstrumentedApp.wait` checks that the agent still answers, and how
#: long an answer may take (generous: a loaded machine is slow, not blind).
PING_EVERY_S = 5.0
PING_TIMEOUT_S = 20.0


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


#: How long the agent's end-of-run loader search (``finish``) may take.
FINISH_TIMEOUT_S = 10.0


class InstrumentedApp:
    """One app process with the agent loaded; build it with
    :func:`harness.instrument.launch.launch`."""

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
        self.pid = 0
        self.hooks: HookReport | None = None
        self.clock_offset_ms = 0.0
        self.timings_ms: dict[str, float] = {}
        self._session: frida.Session | None = None
        self._script: frida.Script | None = None
        self._detached = threading.Event()
        self._detach_reason: str | None = None
        #: Set when the eyes are gone for any reason: detach, script destroyed, no ping.
        self._gone = threading.Event()
        #: Why the eyes were lost while the app lived (None: they were not).
        self._eyes_lost: str | None = None
        self._detaching_self = False  # our own session.detach(): not a loss
        self._stopped = False
        self._stopping = threading.Event()  # the host is stopping the app: exit expected
        self._script_destroyed = threading.Event()
        self.on_record = on_record
        #: Keep network payloads in the trace (its values are revealed): set from the writer.
        self.keep_payloads = False
        #: The app's further processes (``pkg:push``…), each with its own agent.
        self.watcher: ProcessWatcher | None = None
        #: The consumer thread and the recording state it owns.
        self._reactor = Reactor(self, Translator(catalog, app_package=package, process=package),
                                package, on_record)

    # ------------------------------------------------------------------ public API

    @property
    def events(self) -> int:
        """Calls received so far, from every process (any thread; exact after :meth:`flush`)."""
        children = self.watcher.events if self.watcher is not None else 0
        return self._reactor.translator.events + children

    @property
    def processes(self) -> list[tuple[str, int]]:
        """(name, pid) of every instrumented process, the main one first."""
        children = self.watcher.children if self.watcher is not None else []
        return [(self.package, self.pid), *((c.name, c.pid) for c in children)]

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
        return self._reactor.exit_info

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
        self._reactor.put_records([marker])
        return marker

    def add_records(self, records: list[Record]) -> None:
        """Queue records of the caller's own (device clock) for the trace, in order."""
        self._reactor.put_records(records)

    def add_issue(self, code: str, message: str, level: str = "warning", **detail: Any) -> None:
        issue = TraceIssue(
            ts=self.device_ms(), level=level, code=code, message=message, detail=detail
        )  # type: ignore[arg-type]
        self._reactor.put_records([issue])

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
        self._reactor.barrier(timeout)
        return self._reactor.translator.events

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
                    self._reactor.put_detached("process-vanished", None)
                    self._gone.set()
                return self._gone_outcome()
            if time.monotonic() >= next_ping:
                next_ping = time.monotonic() + PING_EVERY_S
                self._watchdog()

    def _gone_outcome(self) -> str:
        self._reactor.barrier(10.0)  # the consumer has classified the end by now
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
        if self._script_destroyed.is_set() and not self._detached.is_set():
            # The script went away and the session did not: judged now if the stop came
            # before the judgement (_judge_destroyed) had its time.
            self._judge_destroyed(wait=0.5)
        gone_before = self._gone.is_set()
        if gone_before:
            self._reactor.barrier(10.0)
        lost = self._detach_reason in _LOST
        eyes_lost = self._eyes_lost
        # an app whose eyes were lost still runs: it is stopped like a live one
        exited_before = gone_before and eyes_lost is None
        message: str | None = None
        if not gone_before:
            self._finish_hooks()
            self.flush()
        if self.watcher is not None:
            self.watcher.finish()
            self.watcher.halt()
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
        if self.watcher is not None:
            if exited_before and not lost:
                self._stop_others()
            self.watcher.close()
        self._reactor.barrier(10.0)
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
            ts=max(self._reactor.last_ts, self.device_ms()),
            reason=final,  # type: ignore[arg-type]
            events=self.events,
            message=message,
        )
        self._reactor.quit(10.0)
        writer = self._reactor.writer
        if close_writer and writer is not None:
            writer.close(end)
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

    # ------------------------------------------------------------------ the reactor's host

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    @property
    def detaching_self(self) -> bool:
        return self._detaching_self

    def post_to_agent(self, message: dict[str, Any]) -> None:
        script = self._script
        if script is not None:
            script.post(message)

    # ------------------------------------------------------------------ launch steps
    # Called in this order by harness.instrument.launch.launch().

    def attach(self, pid: int) -> None:
        """Attach Frida to ``pid`` and load the agent (its hooks are not in yet)."""
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

    def sync_clock(self, rounds: int = 3) -> None:
        """The device clock's offset from the host's, from the fastest of ``rounds`` pings."""
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

    def init_agent(self, config: AgentConfig) -> InitResult:
        """Install the hooks (the agent's first item is its ``hooks_ready`` marker, seq 0)."""
        assert self._script is not None
        t0 = time.monotonic()
        try:
            raw = self._script.exports_sync.init(config.to_agent())
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

    def hooks_applied(self) -> float:
        """An RPC after init(): runs after the bridge has applied the hooks (nextTick)."""
        assert self._script is not None
        try:
            return float(self._script.exports_sync.ping())
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"the agent does not answer ping(): {exc}") from exc

    def start_recording(self, writer: WriterLike) -> None:
        """Start the consumer thread: from now on, records go to ``writer``. Payloads of
        network writes go into the trace only when its values are revealed (a writer
        that does not say is treated as redacting)."""
        header = getattr(writer, "header", None)
        self.keep_payloads = getattr(header, "redacted", True) is False
        self._reactor.translator.keep_payloads = self.keep_payloads
        # every process's consumer writes into this one trace
        shared = SharedWriter(writer)
        self._shared = shared
        self._reactor.on_record = locked(self.on_record, shared.lock)
        self._reactor.start(shared)

    def watch_processes(self, config: AgentConfig, *, spawn_gating: bool,
                        declared: list[str], armed: str | None = None) -> ProcessWatcher:
        """Instrument the app's further processes as they start (:mod:`.children`). Call
        after :meth:`start_recording`, before the main process is released."""
        self.watcher = ProcessWatcher(self, config, self._shared, spawn_gating=spawn_gating,
                                      declared=declared, armed=armed)
        self.watcher.start()
        return self.watcher

    def _stop_others(self) -> None:
        """The main process had ended by itself: its other processes are stopped too."""
        self._stopping.set()
        try:
            self.device.force_stop(self.package)
        except HarnessError as exc:
            log.debug("force-stop after the app's exit: %s", exc)

    def _finish_hooks(self) -> None:
        """The agent's last search of every class loader (``finish``): what was never found
        is ``absent`` only now, in the ``final`` hooks_ready marker (docs/internals.md,
        "Late hooks"). An agent that cannot answer is no reason not to stop the app."""
        script = self._script
        if script is None or not self.alive:
            return
        try:
            if not _call_with_timeout(lambda: script.exports_sync.finish(), FINISH_TIMEOUT_S):
                log.warning("%s: the agent did not answer finish() within %gs; going on",
                            self.package, FINISH_TIMEOUT_S)
        except FRIDA_ERRORS as exc:
            log.debug("finish() over RPC failed: %s", exc)

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

    def abort(self) -> None:
        """Launch failed half-way: leave nothing running."""
        self._detaching_self = True
        if self.watcher is not None:
            self.watcher.abort()
        if self._session is not None:
            try:
                self._session.detach()
            except FRIDA_ERRORS:
                pass
        try:
            self.device.force_stop(self.package)
        except HarnessError:
            pass
        self._reactor.quit(5.0)

    # ------------------------------------------------------------------ Frida callbacks
    # They run on Frida's threads and only enqueue.

    def _on_message(self, message: Any, data: bytes | None) -> None:
        self._reactor.put_message(message, data)

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
        self._reactor.put_detached(reason, crash)
        self._detached.set()
        self._gone.set()

    def _on_destroyed(self) -> None:
        # The script was unloaded or destroyed. A dying process destroys it too, just
        # before the session's `detached`: decide on another thread, once that had time.
        self._script_destroyed.set()
        if self._stopping.is_set() or self._detached.is_set() or self._stopped:
            return
        threading.Thread(target=self._judge_destroyed, name="frida-destroyed",
                         daemon=True).start()

    def _judge_destroyed(self, wait: float = 3.0) -> None:
        if self._detached.wait(wait) or self._stopping.is_set() or self._gone.is_set():
            return
        try:
            alive = self.device.pidof(self.package) == self.pid
        except HarnessError:
            alive = True  # cannot tell: the eyes are gone either way
        if alive:
            self._lose_eyes("the agent script was destroyed (unloaded)")
        elif not self._detached.is_set():
            self._reactor.put_detached("process-vanished", None)
            self._gone.set()

    def _lose_eyes(self, why: str) -> None:
        """The agent stopped watching while the app may live: a trace issue (error)."""
        if self._eyes_lost is not None:
            return
        self._eyes_lost = why
        self._reactor.put_eyes_lost(why)
        self._gone.set()
