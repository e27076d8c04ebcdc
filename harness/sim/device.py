"""One simulated device: state, ADB listener, app bridge, screen and input."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.sim.bridge import BridgeServer
from harness.sim.fs import DeviceFS
from harness.sim.identity import DEFAULT_PROFILE, build_props, make_identity, write_identity
from harness.sim.logcat import LogBuffer
from harness.sim.packages import Installed, PackageDB
from harness.sim.procs import DEFAULT_LAUNCHER, AppManager
from harness.sim.prompts import PROMPT_WINDOW_ID, PromptQueue
from harness.sim.services import new_connection
from harness.sim.state import DeviceState, Display, Faults, RunningApp
from harness.sim.transport import AdbConnection
from harness.sim.windows import Node, Surface, Window, full_screen, hit_test, window_at

log = logging.getLogger(__name__)

LAUNCHER_PKG = "com.android.launcher3"
LAUNCHER_WINDOW_ID = -200
#: ``uiautomator dump`` first waits for the UI to go quiet: AOSP's DumpCommand calls
#: ``UiAutomation.waitForIdle(1000, 1000 * 10)`` — 1 s without accessibility events, within
#: 10 s, else "ERROR: could not get idle state.".
DUMP_IDLE_QUIET_S = 1.0
DUMP_IDLE_TIMEOUT_S = 10.0
#: How long ``input swipe`` waits for the app to handle the drag. Android's input injection
#: (WAIT_FOR_FINISH) gives up after INJECTION_TIMEOUT_MILLIS, 30 s; an app that hangs (or
#: does not speak the swipe message) must not hold the shell that long here.
SWIPE_ACK_TIMEOUT_S = 10.0


@dataclass
class DeviceConfig:
    root: Path
    index: int = 0
    port: int = 0
    host: str = "127.0.0.1"
    launcher: str = DEFAULT_LAUNCHER
    profile: str = DEFAULT_PROFILE  # "aosp" or "google" (harness.sim.identity.PROFILES)
    width: int = 1080
    height: int = 2340
    density: int = 440


@dataclass
class _SystemPids:
    init: int = 1
    zygote: int = 312
    system_server: int = 587
    launcher: int = 1203


class SimDevice:
    """One device: its state, and the ADB listener that serves it (as :class:`DeviceState`,
    the only view the ADB side has of it)."""

    system_pid = _SystemPids.system_server
    zygote_pid = _SystemPids.zygote
    launcher_pid = _SystemPids.launcher

    def __init__(self, config: DeviceConfig) -> None:
        self.config = config
        self.identity = make_identity(config.index, config.profile)
        config.root.mkdir(parents=True, exist_ok=True)
        self.fs = DeviceFS(config.root / "fs")
        self.identity_path = config.root / "device.json"
        self.props: dict[str, str] = build_props(self.identity, config.port, config.profile)
        self.packages = PackageDB(self.fs.host("/data/app"), self.fs.host("/data/data"))
        self.logcat = LogBuffer()
        self.procs = AppManager(self)
        self.bridge = BridgeServer(self)
        self.prompts = PromptQueue(self)
        self.faults = Faults()
        self.settings: dict[str, dict[str, str]] = {
            "secure": {"android_id": self.identity.android_id, "location_mode": "3"},
            "system": {"screen_brightness": "128", "screen_brightness_mode": "0"},
            "global": {"adb_enabled": "1", "device_name": self.identity.model},
        }
        self.connections: set[AdbConnection] = set()
        self._server: asyncio.Server | None = None
        self._offline_until = 0.0
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = config.port
        #: package → pid of app processes that report a running animation (bridge
        #: ``windows`` with ``animating``); an animating screen streams accessibility events
        self._animating: dict[str, int] = {}
        self._ui_event_at = float("-inf")
        self._input_seq = itertools.count(1)

    # -- lifecycle ----------------------------------------------------------------
    async def start(self) -> None:
        await self.bridge.start()
        self._server = await asyncio.start_server(self._accept, self.config.host,
                                                  self.config.port, limit=2 ** 20)
        self.port = self._server.sockets[0].getsockname()[1]
        self.props = build_props(self.identity, self.port, self.config.profile)
        write_identity(self.identity, self.identity_path)
        self.logcat.add(self.system_pid, "I", "SystemServer", "Entered the Android system server!")
        self.logcat.add(self.system_pid, "I", "ActivityManager", "System now ready")

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for conn in list(self.connections):
            conn.abort()
        await self.procs.stop_all()
        await self.bridge.stop()
        for task in list(self._tasks):
            task.cancel()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    @property
    def serial(self) -> str:
        return f"{self.config.host}:{self.port}"

    def drop_connections(self, offline_ms: int = 0) -> int:
        """Fault: close every ADB TCP connection. The listener stays up; for
        ``offline_ms`` it hangs up on every new connection (a cable pulled for a while)."""
        self._offline_until = time.monotonic() + offline_ms / 1000.0
        conns = list(self.connections)
        for conn in conns:
            conn.abort()
        return len(conns)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if time.monotonic() < self._offline_until:
            writer.close()
            return
        state: DeviceState = self  # the ADB side sees only the protocol
        conn = new_connection(state, reader, writer)
        self.connections.add(conn)
        try:
            await conn.serve()
        finally:
            self.connections.discard(conn)

    # -- DeviceState: what the ADB side reads ------------------------------------------
    @property
    def display(self) -> Display:
        return Display(self.config.width, self.config.height, self.config.density)

    @property
    def wifi_mac(self) -> str:
        return self.identity.wifi_mac

    def running_apps(self) -> Mapping[str, RunningApp]:
        return self.procs.apps

    def front_app(self) -> RunningApp | None:
        return self.procs.front()

    def service_processes(self) -> Mapping[str, RunningApp]:
        return self.procs.services

    def set_debug_app(self, name: str | None, wait: bool, persistent: bool) -> None:
        self.procs.debug.set(name, wait, persistent)

    async def start_app(self, package: str, activity: str, debug: bool) -> RunningApp:
        return await self.procs.start(package, activity, debug)

    async def stop_app(self, package: str) -> None:
        await self.procs.stop(package)

    def prompt_surface(self) -> Surface | None:
        return self.prompts.surface()

    # -- packages -----------------------------------------------------------------
    def install(self, data: bytes, grant_all: bool = False) -> Installed:
        entry = self.packages.install(data, grant_all)
        self.logcat.add(self.system_pid, "I", "PackageManager",
                        f"installed {entry.package} version {entry.manifest.version_name}")
        return entry

    async def clear_app(self, pkg: str) -> None:
        await self.procs.stop(pkg)
        self.packages.clear_data(pkg)
        entry = self.packages.get(pkg)
        if entry is not None:
            entry.grants.clear()  # clearing data resets runtime permissions, as on Android

    def notify_grants(self, pkg: str) -> None:
        entry = self.packages.get(pkg)
        app = self.procs.apps.get(pkg)
        if entry is not None and app is not None:
            app.send({"t": "grants", "granted": sorted(entry.grants)})

    def system_processes(self) -> list[tuple[int, str]]:
        return [(_SystemPids.init, "init"), (_SystemPids.zygote, "zygote64"),
                (_SystemPids.system_server, "system_server"),
                (_SystemPids.launcher, LAUNCHER_PKG)]

    # -- screen -------------------------------------------------------------------
    def launcher_surface(self) -> Surface:
        cols, cell_w, cell_h = 4, self.config.width // 4, 300
        icons = []
        for i, name in enumerate(sorted(self.packages.packages)):
            label = self.packages.packages[name].manifest.label
            left, top = (i % cols) * cell_w, 300 + (i // cols) * cell_h
            icons.append(Node(vid=i + 1, cls="android.widget.TextView", text=label, desc=label,
                              rid=f"{LAUNCHER_PKG}:id/icon", clickable=True,
                              bounds=(left, top, left + cell_w, top + cell_h)))
        root = Node(vid=0, cls="android.widget.FrameLayout", rid=f"{LAUNCHER_PKG}:id/workspace",
                    bounds=full_screen(self.config.width, self.config.height), children=icons)
        return Surface(LAUNCHER_PKG, Window(id=LAUNCHER_WINDOW_ID, type="activity",
                                            title=f"{LAUNCHER_PKG}/.Launcher", root=root),
                       system=True)

    def surfaces(self) -> list[Surface]:
        """What is on screen, bottom first."""
        app = self.procs.front()
        result: list[Surface]
        if app is None:
            result = [self.launcher_surface()]
        elif not app.windows:
            # Android shows a starting window until the app draws its first frame.
            root = Node(vid=0, cls="android.widget.FrameLayout",
                        bounds=full_screen(self.config.width, self.config.height))
            result = [Surface(app.package, Window(id=0, type="activity", title=app.activity,
                                                  root=root))]
        else:
            result = [Surface(app.package, w) for w in app.windows]
        prompt = self.prompts.surface()
        if prompt is not None:
            result.append(prompt)
        return result

    # -- UI idle (what uiautomator waits for) ---------------------------------------
    def note_animating(self, package: str, pid: int, animating: bool) -> None:
        """An app's window report said whether an animation is running in it."""
        if animating:
            self._animating[package] = pid
            self._ui_event_at = time.monotonic()
        elif self._animating.pop(package, None) is not None:
            self._ui_event_at = time.monotonic()  # its last frame was an event too

    def ui_animating(self) -> bool:
        """Is the app on screen animating? Only the front app draws (and so sends events);
        a process that died mid-animation sends nothing more."""
        app = self.procs.front()
        return app is not None and self._animating.get(app.package) == app.pid

    async def wait_ui_idle(self, quiet: float = DUMP_IDLE_QUIET_S,
                           timeout: float = DUMP_IDLE_TIMEOUT_S) -> bool:
        """``UiAutomation.waitForIdle(quiet, timeout)``: True once no event came for
        ``quiet`` seconds, False when ``timeout`` passed first. Only animations count as
        events here: a discrete change (a dialog shown, a text set) is taken to have
        settled already, which spares every dump a second of waiting."""
        start = time.monotonic()
        while True:
            now = time.monotonic()
            if self.ui_animating():
                self._ui_event_at = now
            if now - self._ui_event_at >= quiet:
                return True
            if now - start >= timeout:
                return False
            await asyncio.sleep(0.05)

    # -- input --------------------------------------------------------------------
    def tap(self, x: int, y: int) -> None:
        hit = hit_test(self.surfaces(), x, y)
        if hit is None:
            return
        surface, node = hit
        if surface.window.id == PROMPT_WINDOW_ID:
            self.prompts.click(node.vid)
        elif surface.window.id == LAUNCHER_WINDOW_ID:
            names = sorted(self.packages.packages)
            if 0 < node.vid <= len(names):
                entry = self.packages.packages[names[node.vid - 1]]
                self._spawn(self.procs.start(entry.package, entry.manifest.activity_class(),
                                             False))
        else:
            app = self.procs.apps.get(surface.package)
            if app is not None:
                app.send({"t": "click", "window": surface.window.id, "vid": node.vid})

    async def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        """``input swipe``: the gesture lasts ``duration_ms``, goes to the window under its
        start (the app's ScrollView there scrolls), and returns once the app has drawn the
        result, so a dump right after sees it. Device windows (launcher, prompt) don't scroll."""
        await asyncio.sleep(duration_ms / 1000)
        surface = window_at(self.surfaces(), x1, y1)
        app = None if surface is None or surface.system else self.procs.apps.get(surface.package)
        if surface is None or app is None:
            return
        seq = next(self._input_seq)
        app.send({"t": "swipe", "window": surface.window.id, "x1": x1, "y1": y1,
                  "x2": x2, "y2": y2, "ms": duration_ms, "seq": seq})
        deadline = time.monotonic() + SWIPE_ACK_TIMEOUT_S
        while (app.handled_input < seq and not app.exited.is_set()
               and time.monotonic() < deadline):
            await asyncio.sleep(0.01)

    def key(self, name: str) -> None:
        if name == "HOME":
            self.procs.home = True
            return
        if name == "BACK" and self.prompts.current() is not None:
            self.prompts.answer(False)
            return
        app = self.procs.front()
        if app is not None:
            app.send({"t": "key", "key": name})

    def type_text(self, text: str) -> None:
        app = self.procs.front()
        if app is not None:
            app.send({"t": "text", "text": text})

    def _spawn(self, coro: object) -> None:
        async def run() -> None:
            try:
                await coro  # type: ignore[misc]
            except Exception:  # noqa: BLE001 - a failed launch from a tap is only logged
                log.exception("background action failed")

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
