"""Every process of the app, not only the main one (DESIGN §6 step 3).

Push and analytics SDKs run in processes of their own (``<pkg>:push``, ``:pushcore``,
``:channel``): an observer of the main pid never sees what they collect. Each further
process gets its own agent session (:class:`ChildProcess`: a Frida session, the agent, its
own :class:`~harness.instrument.reactor.Reactor` and translator), and its records go into the
ONE trace of the run, each call with its ``process``, each seq in the process's own range
(:data:`~harness.instrument.translate.PROCESS_SEQ_STRIDE`).

A process must be caught before its first instruction, the way the device offers it:

* **spawn** (a real device, frida-server): Frida's spawn gating holds every new process of
  the device; one whose identifier (the process name) is the package's or starts with
  ``<pkg>:`` is instrumented and then resumed, every other one is resumed at once.
* **debug-wait** (the simulator, or a device without frida-server): ActivityManagerService
  makes the process named by ``am set-debug-app -w`` wait for a debugger at its attach
  (AOSP's ``attachApplicationLocked`` matches ``mDebugApp`` against the PROCESS name, one
  name at a time). The launch arms it (``--persistent``) for the first further process the
  manifest declares before ``am start -D`` — whose own transient setting for the main
  process hands back to it —, and the watcher arms the next declared one each time one was
  caught; ``am clear-debug-app`` at the end. A process that appears without having waited
  (not declared, or started before it was armed) is instrumented late, and a ``hooks_ready``
  marker (``phase: late``) says every hooked category was blind until then.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import frida

from harness.errors import HarnessError, InstrumentationError
from harness.instrument.agent import agent_source
from harness.instrument.fridadev import FRIDA_ERRORS
from harness.instrument.messages import AgentConfig, InitResult
from harness.instrument.reactor import Reactor
from harness.instrument.translate import PROCESS_SEQ_STRIDE, Translator
from harness.instrument.types import Record, WriterLike
from harness.model import Marker, MarkerKind, TraceEnd

if TYPE_CHECKING:
    from harness.instrument.session import InstrumentedApp

log = logging.getLogger(__name__)

#: How often the debug-wait watcher lists the app's processes while a declared one is to
#: come, and otherwise.
POLL_S = 0.1
#: … once it was caught and stays armed (a restart of it waits: a little latency costs
#: nothing but its start), and when nothing is armed (an undeclared process: caught late).
ARMED_POLL_S = 0.25
IDLE_POLL_S = 1.0
#: How long the agent's RPCs in a further process may take.
RPC_TIMEOUT_S = 15.0


class SharedWriter:
    """One trace, several consumer threads (one per process): writes, and the caller's
    ``on_record`` callback after them, are serialised."""

    def __init__(self, writer: WriterLike) -> None:
        self._writer = writer
        self.lock = threading.RLock()
        self.header = getattr(writer, "header", None)

    def write(self, records: Iterable[Record]) -> None:
        with self.lock:
            self._writer.write(records)

    def close(self, end: TraceEnd | None = None) -> None:
        with self.lock:
            self._writer.close(end)


def locked(callback: Callable[[Record], None] | None, lock: threading.RLock
           ) -> Callable[[Record], None] | None:
    if callback is None:
        return None

    def call(record: Record) -> None:
        with lock:
            callback(record)

    return call


def is_app_process(name: str, package: str) -> bool:
    """Whether a process (or a gated spawn's identifier) belongs to ``package``."""
    return name == package or name.startswith(package + ":")


class ChildProcess:
    """One further process of the app with its own agent (a :class:`ReactorHost`)."""

    def __init__(self, parent: InstrumentedApp, pid: int, name: str, index: int,
                 writer: SharedWriter) -> None:
        self.parent = parent
        self.pid = pid
        self.name = name
        self._session: frida.Session | None = None
        self._script: frida.Script | None = None
        self._detached = threading.Event()
        self._detaching_self = False
        translator = Translator(parent.catalog, app_package=parent.package, process=name,
                                seq_offset=index * PROCESS_SEQ_STRIDE)
        translator.keep_payloads = parent.keep_payloads
        self.reactor = Reactor(self, translator, f"{parent.package}-{index}",
                               locked(parent.on_record, writer.lock), process=name)
        self.reactor.start(writer)

    # ReactorHost
    def device_ms(self, host_s: float | None = None) -> float:
        return self.parent.device_ms(host_s)

    def post_to_agent(self, message: dict[str, Any]) -> None:
        if self._script is not None:
            self._script.post(message)

    @property
    def stopping(self) -> bool:
        return self.parent.stopping

    @property
    def detaching_self(self) -> bool:
        return self._detaching_self

    @property
    def events(self) -> int:
        return self.reactor.translator.events

    def instrument(self, config: AgentConfig) -> InitResult:
        """Attach, load the agent, install the hooks (its ``hooks_ready`` comes first)."""
        try:
            session = self.parent.frida_device.attach(self.pid)
            self._session = session
            session.on("detached", self._on_detached)
            script = session.create_script(agent_source())
            script.on("message", lambda message, data: self.reactor.put_message(message, data))
            script.load()
            self._script = script
            raw = script.exports_sync.init(config.to_agent())
            script.exports_sync.ping()  # after the bridge applied the hooks (nextTick)
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(
                f"cannot instrument {self.name} (pid {self.pid}): {exc}") from exc
        return InitResult.model_validate(raw)

    def _on_detached(self, reason: str, crash: Any) -> None:
        self.reactor.put_detached(str(reason), crash)
        self._detached.set()

    def rpc(self, name: str) -> None:
        """``finish`` or ``flush`` of the agent, bounded (a dying process never answers)."""
        script = self._script
        if script is None or self._detached.is_set():
            return
        done = threading.Event()

        def run() -> None:
            try:
                getattr(script.exports_sync, name)()
            except FRIDA_ERRORS as exc:
                log.debug("%s: %s() failed: %s", self.name, name, exc)
            finally:
                done.set()

        threading.Thread(target=run, name=f"frida-{name}", daemon=True).start()
        if not done.wait(RPC_TIMEOUT_S):
            log.warning("%s: the agent did not answer %s() within %gs", self.name, name,
                        RPC_TIMEOUT_S)

    def close(self) -> None:
        """After the app was stopped: wait for the detach, write what is queued."""
        if not self._detached.wait(5.0) and self._session is not None:
            self._detaching_self = True
            try:
                self._session.detach()
            except FRIDA_ERRORS as exc:
                log.debug("detach %s: %s", self.name, exc)
        self.reactor.barrier(10.0)
        self.reactor.quit(10.0)

    def abort(self) -> None:
        self._detaching_self = True
        if self._session is not None:
            try:
                self._session.detach()
            except FRIDA_ERRORS:
                pass
        self.reactor.quit(5.0)


def arm_debug_app(device: Any, name: str | None) -> bool:
    """``am set-debug-app -w --persistent <name>`` (None: ``am clear-debug-app``): the next
    process of that name waits for a debugger at its attach. Returns whether the device
    took it."""
    shell = getattr(device, "shell", None)
    if shell is None:
        return False
    argv = (["am", "set-debug-app", "-w", "--persistent", name] if name
            else ["am", "clear-debug-app"])
    try:
        result = shell(argv)
    except HarnessError as exc:
        log.warning("%s: %s", " ".join(argv[:2]), exc)
        return False
    if getattr(result, "exit_code", 0) != 0:
        log.warning("%s refused: %s", " ".join(argv[:2]), getattr(result, "output", ""))
        return False
    return True


def declared_processes(device: Any, package: str) -> list[str]:
    """The further processes the app's manifest declares ([] when the device cannot say)."""
    lister = getattr(device, "declared_processes", None)
    if lister is None:
        return []
    try:
        names = lister(package)
    except HarnessError as exc:
        log.warning("cannot read the processes %s declares: %s", package, exc)
        return []
    return [str(n) for n in names]


class ProcessWatcher:
    """Finds the app's further processes as they start and instruments each one."""

    def __init__(self, app: InstrumentedApp, config: AgentConfig, writer: SharedWriter, *,
                 spawn_gating: bool, declared: list[str], armed: str | None = None) -> None:
        self.app = app
        self.config = config
        self.writer = writer
        self.spawn_gating = spawn_gating
        #: Further processes the manifest declares, not yet caught (debug-wait arms them).
        self.pending = [n for n in declared if n != app.package]
        #: The process name ``am set-debug-app -w`` holds now (the launch armed the first).
        self.armed = armed
        self.children: list[ChildProcess] = []
        self._known: set[int] = {app.pid}
        self._spawns: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._on_spawn_added = self._spawns.put
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _arm(self, name: str | None) -> None:
        if arm_debug_app(self.app.device, name):
            self.armed = name

    # ---------------------------------------------------------------- running
    def start(self) -> None:
        if self.spawn_gating:
            device = self.app.frida_device
            device.on("spawn-added", self._on_spawn_added)
            try:
                device.enable_spawn_gating()
                for spawn in device.enumerate_pending_spawn():
                    self._spawns.put(spawn)
            except FRIDA_ERRORS as exc:
                raise InstrumentationError(
                    f"Frida cannot hold the app's other processes (spawn gating): {exc}"
                ) from exc
        self._thread = threading.Thread(target=self._run, name="instrument-processes",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.spawn_gating:
                    try:
                        spawn = self._spawns.get(timeout=0.5)
                    except queue.Empty:
                        continue
                    self._on_spawn(spawn)
                else:
                    self._poll()
                    # quick while a declared process is still to come; a process nobody
                    # declared is looked for less often (it is instrumented late anyway)
                    self._stop.wait(POLL_S if self.pending
                                    else ARMED_POLL_S if self.armed else IDLE_POLL_S)
            except Exception:  # noqa: BLE001 — the watcher must outlive one bad process
                log.exception("watching the app's processes")

    def _on_spawn(self, spawn: Any) -> None:
        pid, name = int(spawn.pid), str(spawn.identifier)
        try:
            if is_app_process(name, self.app.package) and pid not in self._known:
                self._instrument(pid, name, gated=True)
        finally:
            try:
                self.app.frida_device.resume(pid)
            except FRIDA_ERRORS as exc:
                log.warning("cannot resume pid %d (%s): %s", pid, name, exc)

    def _poll(self) -> None:
        lister = getattr(self.app.device, "app_processes", None)
        if lister is None:
            return
        try:
            procs = lister(self.app.package, also=self.pending)
        except HarnessError as exc:
            log.debug("listing processes: %s", exc)
            return
        for proc in procs:
            if proc.main or proc.pid in self._known or self._stop.is_set():
                continue
            gated = proc.name == self.armed
            self._instrument(proc.pid, proc.name, gated=gated)
            if proc.name in self.pending:
                self.pending.remove(proc.name)
            if gated and self.pending:
                # one debug app at a time (AMS): hand the gate to the next declared process;
                # the last one stays armed (--persistent), so a restart of it waits too
                self._arm(self.pending[0])

    def _instrument(self, pid: int, name: str, *, gated: bool) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._known.add(pid)
            child = ChildProcess(self.app, pid, name, len(self.children) + 1, self.writer)
            self.children.append(child)
        try:
            result = child.instrument(self.config)
        except (InstrumentationError, ValueError) as exc:
            log.warning("%s", exc)
            child.reactor.put_records([self._issue(
                f"{name} (pid {pid}) could not be instrumented: {exc}", name, pid)])
            return
        if not gated:
            child.reactor.put_records([self._late_marker(result, name, pid)])
        log.info("instrumented %s (pid %d)%s", name, pid, "" if gated else " late")

    def _issue(self, message: str, name: str, pid: int) -> Record:
        from harness.model import TraceIssue

        return TraceIssue(ts=self.app.device_ms(), level="error", code="process_not_instrumented",
                          message=message, detail={"process": name, "pid": pid})

    def _late_marker(self, result: InitResult, name: str, pid: int) -> Marker:
        """The process ran before its hooks: every hooked category was blind until now."""
        late = []
        for hook_id in result.installed:
            entry = self.app.catalog.get(hook_id)
            category = getattr(getattr(entry, "category", None), "value", None)
            late.append({"id": hook_id, "category": category,
                         "reason": f"process {name} ran before it was instrumented"})
        return Marker(marker=MarkerKind.HOOKS_READY, ts=self.app.device_ms(), source="host",
                      detail={"phase": "late", "via": "process", "process": name, "pid": pid,
                              "late": late})

    # ---------------------------------------------------------------- the end
    def finish(self) -> None:
        """Before the app is stopped: each agent's last loader search and flush."""
        for child in list(self.children):
            child.rpc("finish")
            child.rpc("flush")

    def halt(self) -> None:
        """Stop looking for processes (before the app is force-stopped)."""
        with self._lock:
            self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)
        if self.spawn_gating:
            device = self.app.frida_device
            try:
                device.disable_spawn_gating()
                device.off("spawn-added", self._on_spawn_added)
            except FRIDA_ERRORS as exc:
                log.debug("spawn gating off: %s", exc)
            while True:  # nothing may stay held because the run ended
                try:
                    spawn = self._spawns.get_nowait()
                except queue.Empty:
                    break
                try:
                    device.resume(int(spawn.pid))
                except FRIDA_ERRORS:
                    pass
        elif self.armed is not None:
            self._arm(None)

    def close(self) -> None:
        for child in self.children:
            child.close()

    def abort(self) -> None:
        self.halt()
        for child in self.children:
            child.abort()

    @property
    def events(self) -> int:
        return sum(c.events for c in self.children)

    def wait_for(self, name: str, timeout: float) -> ChildProcess | None:
        """Test seam: the child named ``name`` once it is instrumented (None on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for child in list(self.children):
                if child.name == name and child._script is not None:
                    return child
            time.sleep(0.05)
        return None
