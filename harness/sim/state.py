"""The one interface through which the ADB side of the simulator reaches the device state.

The ADB side (``transport``, ``wire``, ``sync``, ``services``, ``framebuffer``, ``reverse``
and the ``shell``) speaks the protocol and runs shell commands; what the device *is* —
packages, processes, windows, files, properties, faults — lives in ``SimDevice``
(``harness.sim.device``). The ADB side sees that only as :class:`DeviceState`, a
structural protocol naming exactly what it uses, so it never imports the device module
and the device can be rebuilt without touching the protocol code (import-linter's
``adb-side-reaches-the-device-through-state`` contract enforces it).

Only leaf modules of device data (files, packages, logcat, windows) are imported here;
none of them imports the device back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from harness.sim.fs import DeviceFS
from harness.sim.logcat import LogBuffer
from harness.sim.packages import Installed, PackageDB
from harness.sim.windows import Surface


@dataclass
class Faults:
    """Faults switched on through the control channel (harness.sim.control)."""

    hang_next_stream: bool = False
    malform_next_dump: bool = False
    ui_delay_ms: int = 0
    suppress_dialogs: bool = False

    def clear(self) -> None:
        self.hang_next_stream = self.malform_next_dump = self.suppress_dialogs = False
        self.ui_delay_ms = 0


@dataclass(frozen=True)
class Display:
    """The built-in screen, as ``wm size``, ``dumpsys display`` and ``screencap`` report it."""

    width: int
    height: int
    density: int


class RunningApp(Protocol):
    """An app process, as ``ps``, ``pidof``, ``am`` and ``dumpsys`` show it."""

    @property
    def package(self) -> str: ...

    @property
    def activity(self) -> str: ...

    @property
    def uid(self) -> int: ...

    @property
    def pid(self) -> int: ...


class DeviceState(Protocol):
    """What the ADB side reads, changes and asks of the device."""

    # -- state the shell reads and changes as Android keeps it -----------------------
    @property
    def fs(self) -> DeviceFS: ...

    @property
    def props(self) -> dict[str, str]:
        """System properties (``getprop``/``setprop``; ``ro.*`` are read-only to the shell)."""

    @property
    def settings(self) -> dict[str, dict[str, str]]:
        """``settings`` namespaces (system, secure, global) → key → value."""

    @property
    def packages(self) -> PackageDB: ...

    @property
    def logcat(self) -> LogBuffer: ...

    @property
    def faults(self) -> Faults: ...

    @property
    def display(self) -> Display: ...

    @property
    def wifi_mac(self) -> str: ...

    # -- processes --------------------------------------------------------------------
    @property
    def system_pid(self) -> int: ...

    @property
    def zygote_pid(self) -> int: ...

    @property
    def launcher_pid(self) -> int: ...

    def system_processes(self) -> list[tuple[int, str]]:
        """(pid, name) of the device's own processes (init, zygote, system_server…)."""

    def running_apps(self) -> Mapping[str, RunningApp]:
        """Package → its running main process."""

    def front_app(self) -> RunningApp | None:
        """The app whose activity is in front (None: the launcher)."""

    def service_processes(self) -> Mapping[str, RunningApp]:
        """Process name (``pkg:push``) → a running process an app started for a service."""

    def set_debug_app(self, name: str | None, wait: bool, persistent: bool) -> None:
        """``am set-debug-app`` / ``clear-debug-app`` (a process name, as AMS matches it)."""

    async def start_app(self, package: str, activity: str, debug: bool) -> RunningApp:
        """``am start``: bring ``package`` to the front, starting it if needed."""

    async def stop_app(self, package: str) -> None:
        """``am force-stop``: kill every process of ``package``."""

    # -- packages ---------------------------------------------------------------------
    def install(self, data: bytes, grant_all: bool = False) -> Installed: ...

    async def clear_app(self, package: str) -> None:
        """``pm clear``: stop the app, wipe its data and runtime permissions."""

    def notify_grants(self, package: str) -> None:
        """Tell the running app its runtime permissions changed (``pm grant/revoke``)."""

    # -- screen and input -------------------------------------------------------------
    def surfaces(self) -> list[Surface]:
        """What is on screen, bottom first."""

    def prompt_surface(self) -> Surface | None:
        """The system permission dialog on screen, if any."""

    async def wait_ui_idle(self) -> bool:
        """``UiAutomation.waitForIdle``: True once the screen is quiet, False on timeout."""

    def tap(self, x: int, y: int) -> None: ...

    async def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        """``input swipe``: a drag from (x1, y1) to (x2, y2), sent to the window under its
        start; returns once the app has handled it (Android injects with WAIT_FOR_FINISH)."""

    def key(self, name: str) -> None: ...

    def type_text(self, text: str) -> None: ...
