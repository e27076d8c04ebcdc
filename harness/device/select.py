"""The one device rule every command follows (README "Which device").

1. ``--device SERIAL`` (repeatable) when given;
2. else ``ANDROID_SERIAL`` (as adb does; one serial, or several separated by commas);
3. else the built-in simulated device — which the *caller* (the CLI or the pytest
   plugin) starts and announces: this layer knows no simulator.

The adb server is ``--adb`` when given, else adb's own environment variables
(:meth:`AdbServer.from_env`). A local server that is not running is started for the
command and stopped after it (:func:`attach`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from harness.device.core import DEFAULT_TIMEOUT
from harness.device.device import Device, connect
from harness.device.names import check_serial
from harness.device.server import AdbServer
from harness.errors import InputError

Source = Literal["--device", "ANDROID_SERIAL", "simulator"]


@dataclass(frozen=True)
class DeviceRequest:
    """Which devices a command runs on, and why."""

    serials: tuple[str, ...]
    server: AdbServer
    source: Source

    @property
    def simulator(self) -> bool:
        """True when the caller has to start the built-in simulated device."""
        return self.source == "simulator"

    def describe(self) -> str:
        if self.simulator:
            return "the built-in simulated device (no --device, ANDROID_SERIAL unset)"
        names = ", ".join(self.serials)
        return f"{names} (from {self.source}) on the adb server at {self.server}"


def resolve_devices(
    serials: Sequence[str] = (),
    adb: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> DeviceRequest:
    """Apply the rule (module docstring) to a command's options and the environment."""
    env = os.environ if env is None else env
    server = AdbServer.resolve(adb, env)
    named = tuple(s.strip() for s in serials if s.strip())
    if named:
        return DeviceRequest(tuple(check_serial(s, "--device") for s in named), server, "--device")
    from_env = tuple(s.strip() for s in env.get("ANDROID_SERIAL", "").split(",") if s.strip())
    if from_env:
        return DeviceRequest(
            tuple(check_serial(s, "ANDROID_SERIAL") for s in from_env), server, "ANDROID_SERIAL"
        )
    if adb:
        # --adb alone names a server but no device: starting the simulator instead
        # would silently ignore it.
        raise InputError(
            f"--adb {adb} names the adb server but not the device: add --device SERIAL "
            f"(or set ANDROID_SERIAL); `adb -H {server.host} -P {server.port} devices` lists them",
            field="--adb",
        )
    return DeviceRequest((), server, "simulator")


@contextlib.contextmanager
def attach(request: DeviceRequest, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[list[Device]]:
    """The requested devices, connected; a local adb server started for this is
    stopped on exit. Not for a simulator request (the caller starts the simulator)."""
    if request.simulator:
        raise ValueError("attach() is for named devices; the caller starts the simulator")
    with request.server.session():
        yield [connect(serial, request.server, timeout=timeout) for serial in request.serials]
