"""App processes of one device: launch per the launch contract, watch, kill.

Each app runs in its own process group (so force-stop takes the whole JVM and any
helper it forked) and is killed by the kernel if the device process dies
(``PR_SET_PDEATHSIG``), so no app outlives its device.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib
import importlib.util
import json
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.sim.errors import SimulatorError
from harness.sim.windows import Window

if TYPE_CHECKING:
    from harness.sim.device import SimDevice

log = logging.getLogger(__name__)

DEFAULT_LAUNCHER = "harness.sim.runtime:launch_argv"
LaunchArgv = Callable[[Path, "str | None"], list[str]]
_PR_SET_PDEATHSIG = 1


#: Where the ground-truth tap of an app's process writes (one JSON line per surface call).
#: A device file for the test bed (read over ADB: ``adb pull``/``cat``); the harness never reads it.
TAP_DIR = "/data/system/sim-tap"


def tap_path(pkg: str) -> str:
    """Device path of the tap file of ``pkg`` (all its processes append to it)."""
    return f"{TAP_DIR}/{pkg}.jsonl"


def _load_prctl() -> Callable[..., int] | None:
    # Resolved in the parent: between fork and exec only the call itself runs, because
    # loading a library there could deadlock on a lock another thread held at fork time.
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None  # not Linux: apps still die with their process group on force-stop
    return prctl


_PRCTL = _load_prctl()


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def resolve_launcher(spec: str) -> LaunchArgv:
    """``module:function`` or ``/path/to/file.py:function`` → the launch_argv callable."""
    target, _, attr = spec.rpartition(":")
    if not target or not attr:
        raise SimulatorError(f"launcher {spec!r} is not 'module:function'")
    try:
        if target.endswith(".py"):
            mod_spec = importlib.util.spec_from_file_location("_sim_launcher", target)
            if mod_spec is None or mod_spec.loader is None:
                raise SimulatorError(f"cannot load launcher file {target}")
            module = importlib.util.module_from_spec(mod_spec)
            mod_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(target)
    except ImportError as exc:
        raise SimulatorError(
            f"the app runtime {target!r} is not available ({exc}); the simulated device "
            "cannot start apps without it") from exc
    func = getattr(module, attr, None)
    if not callable(func):
        raise SimulatorError(f"launcher {spec!r}: no callable {attr!r}")
    return func  # type: ignore[no-any-return]


@dataclass
class AppProcess:
    package: str
    activity: str
    proc: asyncio.subprocess.Process
    started: float
    uid: int
    windows: list[Window] = field(default_factory=list)
    reported: bool = False  # has the app reported its windows at least once?
    handled_input: int = 0  # the last swipe (by sequence number) the app drew the result of
    writer: asyncio.StreamWriter | None = None
    outbox: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    exited: asyncio.Event = field(default_factory=asyncio.Event)
    #: The signal the device killed the process with, if it did.
    killed_by: int | None = None
    #: The process's name when it is not the app's main one (``pkg:push``); "" for the main.
    process: str = ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def name(self) -> str:
        """The process name ``ps`` shows: the package, or ``pkg:push``."""
        return self.process or self.package

    @property
    def main(self) -> bool:
        return not self.process

    def send(self, message: dict[str, Any]) -> None:
        """Send a bridge message; queued until the app said hello."""
        if self.writer is None or self.writer.is_closing():
            if self.writer is None:
                self.outbox.append(message)
            return
        self.writer.write(json.dumps(message).encode() + b"\n")

    def attach(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        pending, self.outbox = self.outbox, []
        for message in pending:
            self.send(message)


@dataclass
class DebugApp:
    """ActivityManagerService's debug-app setting (``am set-debug-app``, ``am start -D``).

    As in AOSP's ``attachApplicationLocked``: it names a PROCESS (``mDebugApp.equals(
    processName)``), so ``pkg`` makes only the main process wait and ``pkg:push`` only that
    one; one name at a time. ``am start -D`` sets it transiently for the activity's process
    (``setDebugApp(aInfo.processName, true, false)``); the first process of that name to
    attach consumes a transient setting and the persistent one before it comes back
    (``mOrigDebugApp``); a persistent one (``--persistent``) stays until
    ``am clear-debug-app``."""

    name: str | None = None
    wait: bool = False
    transient: bool = False
    orig_name: str | None = None
    orig_wait: bool = False

    def set(self, name: str | None, wait: bool, persistent: bool) -> None:
        if not persistent:
            self.orig_name, self.orig_wait = self.name, self.wait
        self.name, self.wait, self.transient = name, wait, not persistent

    def take(self, process: str) -> bool:
        """At a process's attach: whether it waits for a debugger."""
        if self.name is None or self.name != process:
            return False
        wait = self.wait
        if self.transient:
            self.name, self.wait, self.transient = self.orig_name, self.orig_wait, False
        return wait


class AppManager:
    def __init__(self, device: SimDevice) -> None:
        self.device = device
        self.apps: dict[str, AppProcess] = {}
        #: The app processes started for a service (``android:process``), by process name.
        self.services: dict[str, AppProcess] = {}
        self.debug = DebugApp()
        self.focus: list[str] = []  # packages, most recent last
        self.home = True
        self._launcher: LaunchArgv | None = None

    def launcher(self) -> LaunchArgv:
        if self._launcher is None:
            self._launcher = resolve_launcher(self.device.config.launcher)
        return self._launcher

    # -- what is in front -----------------------------------------------------------
    def front(self) -> AppProcess | None:
        if self.home:
            return None
        for pkg in reversed(self.focus):
            app = self.apps.get(pkg)
            if app is not None and (app.windows or not app.reported):
                return app
        return None

    def bring_to_front(self, pkg: str) -> None:
        if pkg in self.focus:
            self.focus.remove(pkg)
        self.focus.append(pkg)
        self.home = False

    # -- lifecycle ----------------------------------------------------------------
    async def start(self, pkg: str, activity: str, wait_debugger: bool) -> AppProcess:
        installed = self.device.packages.get(pkg)
        if installed is None:
            raise SimulatorError(f"package {pkg} is not installed")
        running = self.apps.get(pkg)
        if running is not None:
            self.bring_to_front(pkg)
            return running
        if wait_debugger:
            # `am start -D`: ActivityTaskSupervisor sets the debug app for the activity's
            # process, transiently (it is consumed by this process's attach)
            self.debug.set(pkg, True, persistent=False)
        app = await self._spawn(pkg, activity, "")
        self.apps[pkg] = app
        self.bring_to_front(pkg)
        self.device.logcat.add(self.device.system_pid, "I", "ActivityManager",
                               f"Start proc {app.pid}:{pkg}/u0a{app.uid - 10000} for "
                               f"activity {{{pkg}/{activity}}}")
        return app

    async def _spawn(self, pkg: str, activity: str, process: str) -> AppProcess:
        """Start one JVM of ``pkg``: its main process (``process`` "") or a named one."""
        installed = self.device.packages.get(pkg)
        if installed is None:
            raise SimulatorError(f"package {pkg} is not installed")
        name = process or pkg
        launch = self.launcher()
        loop = asyncio.get_running_loop()
        # launch_argv may compile the app on first use: keep the event loop serving. A
        # service process runs the same command line: ActivityThread reads SIM_PROCESS and
        # starts no activity there (as Android's zygote forks one runtime for every process).
        argv = await loop.run_in_executor(None, launch, installed.app_dir, activity)
        data_dir = self.device.packages.ensure_data_dir(pkg)
        wait_debugger = self.debug.take(name)
        if wait_debugger and not (installed.manifest.debuggable
                                  or self.device.props.get("ro.debuggable") == "1"):
            self.device.logcat.add(self.device.system_pid, "W", "ActivityManager",
                                   f"Ignore debugging for non-debuggable process: {name}")
            wait_debugger = False
        tap = self.device.fs.host(tap_path(pkg))
        tap.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update({
            "SIM_BRIDGE": f"127.0.0.1:{self.device.bridge.port}",
            "SIM_PACKAGE": pkg,
            "SIM_APP_DIR": str(installed.app_dir),
            "SIM_DATA_DIR": str(data_dir),
            "SIM_WAIT_DEBUGGER": "1" if wait_debugger else "0",
            "SIM_DEVICE": str(self.device.identity_path),
            "SIM_GRANTS": ",".join(sorted(installed.grants)),
            "SIM_TAP": str(tap),
            "SIM_PROCESS": name,
        })
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, env=env, cwd=str(data_dir), stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                start_new_session=True, preexec_fn=_die_with_parent)
        except OSError as exc:
            raise SimulatorError(f"cannot start {pkg}: {argv[0]}: {exc}") from exc
        uid = 10000 + 100 + sorted(self.device.packages.packages).index(pkg)
        app = AppProcess(pkg, activity, proc, time.time(), uid, process=process)
        assert proc.stdout is not None and proc.stderr is not None
        app.tasks = [loop.create_task(self._pump(app, proc.stdout, "I", "System.out")),
                     loop.create_task(self._pump(app, proc.stderr, "W", "System.err")),
                     loop.create_task(self._watch(app))]
        return app

    async def _pump(self, app: AppProcess, stream: asyncio.StreamReader, level: str,
                    tag: str) -> None:
        with contextlib.suppress(ValueError, ConnectionError):
            async for line in stream:
                self.device.logcat.add(app.pid, level, tag,
                                       line.decode("utf-8", "replace").rstrip("\n"))

    async def _watch(self, app: AppProcess) -> None:
        code = await app.proc.wait()
        if app.main:
            if self.apps.get(app.package) is app:
                del self.apps[app.package]
            if app.package in self.focus:
                self.focus.remove(app.package)
            self.device.prompts.drop_package(app.package)
        elif self.services.get(app.process) is app:
            del self.services[app.process]
        app.windows = []
        if app.writer is not None:
            app.writer.close()
        if code < 0:
            how = f"signal {-code}"
        elif code == 255 and app.killed_by is not None:
            # asyncio reports 255 for a child whose status it could not collect ("Unknown
            # child process pid …", its watcher racing the kill on a loaded machine): the
            # device killed it, and says how, as Android's ActivityManager would.
            how = f"signal {app.killed_by}"
        else:
            how = f"exit {code}"
        self.device.logcat.add(self.device.system_pid, "I", "ActivityManager",
                               f"Process {app.name} (pid {app.pid}) has died ({how})")
        app.exited.set()

    def kill(self, pkg: str, sig: int = signal.SIGKILL) -> bool:
        """Kill the main process of ``pkg`` (the control channel's fault: the others live
        on, as on Android when the kernel takes one process)."""
        app = self.apps.get(pkg)
        if app is None:
            return False
        _signal(app, sig)
        return True

    async def stop(self, pkg: str) -> None:
        """``am force-stop``: every process of the package."""
        doomed = [a for a in [self.apps.get(pkg), *self.services.values()]
                  if a is not None and a.package == pkg]
        for app in doomed:
            _signal(app, signal.SIGKILL)
        for app in doomed:
            await app.exited.wait()

    async def stop_all(self) -> None:
        for pkg in {*self.apps, *(a.package for a in self.services.values())}:
            await self.stop(pkg)
        for app in [*self.apps.values(), *self.services.values()]:
            for task in app.tasks:
                task.cancel()

    # -- service processes (android:process) -----------------------------------------
    def service_process(self, pkg: str, process: str) -> AppProcess | None:
        app = self.services.get(process)
        return app if app is not None and app.package == pkg else None

    def request_service(self, caller: AppProcess, service: str, process: str,
                        extras: dict[str, str]) -> None:
        """``Context.startService`` from ``caller`` for a service of another process: start
        that process if it does not run (ActiveServices.bringUpServiceLocked), then ask it
        to run the service. The app is untrusted: only a service its manifest declares, in
        the process the manifest names, is started."""
        installed = self.device.packages.get(caller.package)
        declared = installed.manifest.process_of(service) if installed is not None else None
        if declared is None or declared != process or declared == caller.name:
            self.device.logcat.add(self.device.system_pid, "W", "ActivityManager",
                                   f"Unable to start service {caller.package}/{service} "
                                   f"in {process!r}: not found")
            return
        message: dict[str, Any] = {"t": "create_service", "service": service,
                                   "extras": dict(extras)}
        running = self.services.get(process)
        if running is not None:
            running.send(message)
            return
        task = asyncio.get_running_loop().create_task(
            self._start_service_process(caller.package, process, service, message))
        caller.tasks.append(task)

    async def _start_service_process(self, pkg: str, process: str, service: str,
                                     message: dict[str, Any]) -> None:
        if process in self.services or pkg not in self.apps:
            if process in self.services:
                self.services[process].send(message)
            return  # the app was stopped meanwhile: nothing to start for
        try:
            app = await self._spawn(pkg, "", process)
        except SimulatorError as exc:
            log.warning("cannot start %s: %s", process, exc)
            return
        if pkg not in self.apps:  # force-stopped while it was being started
            _signal(app, signal.SIGKILL)
            return
        self.services[process] = app
        app.send(message)  # queued until its bridge hello
        self.device.logcat.add(self.device.system_pid, "I", "ActivityManager",
                               f"Start proc {app.pid}:{process}/u0a{app.uid - 10000} for "
                               f"service {{{pkg}/{service}}}")


def _signal(app: AppProcess, sig: int) -> None:
    app.killed_by = int(sig)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(app.pid, sig)
    with contextlib.suppress(ProcessLookupError):
        app.proc.send_signal(sig)

