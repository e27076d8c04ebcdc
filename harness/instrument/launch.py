"""Launch strategies: start an app paused, inject the agent before its first instruction,
release it — ``spawn`` (Frida spawns it; real devices with frida-server) or ``debug-wait``
(``am start -D``, attach, the agent releases the gate; the simulator)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from harness.errors import DeviceError, InstrumentationError
from harness.instrument.children import arm_debug_app, declared_processes
from harness.instrument.fridadev import FRIDA_ERRORS, FridaTarget, pick_frida_device
from harness.instrument.messages import AgentConfig
from harness.instrument.session import InstrumentedApp
from harness.instrument.types import (
    CatalogLike,
    DeviceLike,
    LaunchInfo,
    Record,
    Strategy,
    WriterFactory,
    WriterLike,
)
from harness.model import Marker, MarkerKind

log = logging.getLogger(__name__)


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
) -> AgentConfig:
    """The agent's configuration for one launch (the shipped knobs; tests build an
    :class:`AgentConfig` themselves for the test seams)."""
    return AgentConfig(
        catalog=catalog.for_agent(),
        app_package=package,
        release_debugger=release_debugger,
        stack=stack,
        batch_max=batch_max,
        batch_ms=batch_ms,
        sdk_int=sdk_int,
        stack_strategy=stack_strategy,  # type: ignore[arg-type]
    )


class DebugWaitLaunch:
    """``am start -D``: the app waits for a debugger; attach once its VM is up, and the
    agent releases the wait itself once its hooks are in (``release_debugger``)."""

    strategy = Strategy.DEBUG_WAIT
    agent_releases = True

    def start(self, app: InstrumentedApp, device: DeviceLike, package: str,
              target: FridaTarget, timeout: float) -> int:
        t_start = time.monotonic()
        device.start(package, wait_debugger=True)
        pid = _wait_pid(device, package, timeout)
        app.timings_ms["pid"] = (time.monotonic() - t_start) * 1e3
        if target.kind == "local" and not wait_local_vm_ready(pid, timeout):
            log.warning("pid %d: no sign of a booted JVM; attaching anyway", pid)
        app.timings_ms["vm_ready"] = (time.monotonic() - t_start) * 1e3
        app.attach(pid)
        return pid

    def release(self, target: FridaTarget, pid: int, package: str) -> None:
        """Nothing to do: the agent let the app go when ``init`` had hooked it."""


class SpawnLaunch:
    """Frida spawns the app paused (frida-server on a phone); resumed once recording."""

    strategy = Strategy.SPAWN
    agent_releases = False

    def start(self, app: InstrumentedApp, device: DeviceLike, package: str,
              target: FridaTarget, timeout: float) -> int:
        try:
            pid = int(target.device.spawn(package))
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"Frida cannot spawn {package}: {exc}") from exc
        app.attach(pid)
        return pid

    def release(self, target: FridaTarget, pid: int, package: str) -> None:
        try:
            target.device.resume(pid)
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"cannot resume {package}: {exc}") from exc


#: How each strategy starts an app paused and lets it go.
LAUNCHERS: dict[Strategy, DebugWaitLaunch | SpawnLaunch] = {
    Strategy.DEBUG_WAIT: DebugWaitLaunch(),
    Strategy.SPAWN: SpawnLaunch(),
}


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
    # on the device's own adb server (a forward when Frida's USB backend cannot see it)
    target = pick_frida_device(device.serial, frida_prop, remote=remote, device=device)
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
        release_debugger=LAUNCHERS[strategy].agent_releases,
    )
    launcher = LAUNCHERS[strategy]
    # Every process of the app is instrumented (children.py): on debug-wait the first
    # further process the manifest declares is armed to wait before the app starts.
    declared = declared_processes(device, package) if strategy is Strategy.DEBUG_WAIT else []
    armed: str | None = None
    try:
        device.force_stop(package)
        if declared and arm_debug_app(device, declared[0]):
            armed = declared[0]
        t_launch = time.time()
        pid = launcher.start(app, device, package, target, timeout)
        app.sync_clock()
        # queued before init(): the consumer keeps queue order, so it precedes every event
        app.add_records([
            Marker(
                marker=MarkerKind.LAUNCHED,
                ts=app.device_ms(t_launch),
                source="host",
                detail={"pid": pid, "strategy": strategy.value, "frida": target.kind},
            ),
        ])
        app.init_agent(config)  # the agent's first item is its hooks_ready marker (seq 0)
        app.hooks_applied()
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
        app.start_recording(w)  # type: ignore[arg-type]
        app.watch_processes(config, spawn_gating=strategy is Strategy.SPAWN,
                            declared=declared, armed=armed)
        launcher.release(target, pid, package)
        app.timings_ms["total"] = (time.monotonic() - t_start) * 1e3
    except BaseException:
        if armed is not None and app.watcher is None:
            arm_debug_app(device, None)  # leave no process of the device waiting
        app.abort()
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
