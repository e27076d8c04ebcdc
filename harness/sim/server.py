"""Run N simulated devices and their control channel in one asyncio loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from harness.sim.control import ControlServer
from harness.sim.device import DeviceConfig, SimDevice
from harness.sim.errors import SimulatorError
from harness.sim.identity import DEFAULT_PROFILE, PROFILES
from harness.sim.packages import InstallFailure
from harness.sim.procs import DEFAULT_LAUNCHER

log = logging.getLogger(__name__)


@dataclass
class ServeOptions:
    port: int = 7100  # first device's port; 0 = any free port for each device
    count: int = 1
    host: str = "127.0.0.1"
    preinstall: bool = True
    launcher: str = DEFAULT_LAUNCHER
    control_port: int = 0
    root: Path | None = None  # keep device files here instead of a temp folder
    profile: str = DEFAULT_PROFILE  # "aosp" or "google": see harness.sim.identity.PROFILES


def bundled_packages() -> list[Path]:
    """The sim apps shipped with the package (``harness.sim.apps``, owned by part 2)."""
    try:
        from harness.sim import apps
    except ModuleNotFoundError as exc:
        if exc.name != "harness.sim.apps":
            raise
        # NOTE: tolerated only until harness.sim.apps lands; then this branch goes.
        log.warning("harness.sim.apps is not available yet: no sim apps preinstalled")
        return []
    paths: list[Path] = apps.bundled_packages()
    return paths


async def _preinstall(device: SimDevice, packages: list[Path]) -> None:
    for path in packages:
        try:
            device.install(path.read_bytes(), grant_all=False)
        except (OSError, InstallFailure) as exc:
            raise SimulatorError(f"cannot preinstall {path}: {exc}") from exc


class SimServer:
    def __init__(self, options: ServeOptions) -> None:
        if options.count < 1:
            raise SimulatorError("--count must be at least 1")
        if options.port and 5555 <= options.port + options.count - 1 and options.port <= 5585:
            raise SimulatorError("ports 5555-5585 are adb's emulator ports; pick others")
        if options.profile not in PROFILES:
            raise SimulatorError(f"unknown device profile {options.profile!r}; "
                                 f"expected one of: {', '.join(PROFILES)}")
        self.options = options
        self.devices: list[SimDevice] = []
        self.control: ControlServer | None = None
        self._tmp: Path | None = None

    async def start(self) -> None:
        opts = self.options
        if opts.root is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="consent-harness-sim-"))
        root = opts.root or self._tmp
        assert root is not None
        try:
            for i in range(opts.count):
                port = opts.port + i if opts.port else 0
                device = SimDevice(DeviceConfig(root=root / f"device{i}", index=i, port=port,
                                                host=opts.host, launcher=opts.launcher,
                                                profile=opts.profile))
                try:
                    await device.start()
                except OSError as exc:
                    raise SimulatorError(f"cannot listen on {opts.host}:{port}: "
                                         f"{exc.strerror}") from exc
                self.devices.append(device)
            if opts.preinstall:
                loop = asyncio.get_running_loop()
                packages = await loop.run_in_executor(None, bundled_packages)
                for device in self.devices:
                    await _preinstall(device, packages)
            self.control = ControlServer(self.devices)
            await self.control.start(opts.control_port)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        if self.control is not None:
            await self.control.stop()
        for device in self.devices:
            with contextlib.suppress(Exception):
                await device.stop()
        self.devices = []
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


async def serve(options: ServeOptions, ready: Callable[[SimServer], None],
                until: Callable[[], Awaitable[None]] | None = None) -> None:
    """Start, call ``ready``, then serve until ``until`` returns (or forever)."""
    server = SimServer(options)
    await server.start()
    try:
        ready(server)
        if until is None:
            await asyncio.Event().wait()
        else:
            await until()
    finally:
        await server.stop()
