"""The :class:`Device` and :func:`connect`."""

from __future__ import annotations

from harness.device.apps import AppsMixin
from harness.device.core import DEFAULT_TIMEOUT
from harness.device.errors import DeviceLost
from harness.device.frida_server import FridaServerMixin
from harness.device.install import InstallMixin
from harness.device.permissions import PermissionsMixin
from harness.device.processes import ProcessesMixin
from harness.device.screen import ScreenMixin
from harness.device.server import AdbServer
from harness.errors import DeviceError


class Device(
    AppsMixin, PermissionsMixin, ProcessesMixin, InstallMixin, ScreenMixin, FridaServerMixin
):
    """One device: the core (shell, files, install, forward) plus typed features."""


def connect(
    serial: str | None = None,
    adb: AdbServer | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Device:
    """The device ``serial`` on the adb server ``adb`` (None = the only device there;
    default server: :meth:`AdbServer.from_env`, as adb chooses it).

    A local server that is not running is started (and left to the caller:
    :func:`harness.device.select.attach` / :meth:`AdbServer.session` stop it again); a
    ``host:port`` serial that the server does not know is ``adb connect``-ed."""
    adb = adb or AdbServer.from_env()
    adb.ensure_running()
    # a named probe: adbutils would resolve an empty serial to "the only device" at once
    probe = Device(serial or "(probe)", adb, timeout=timeout)
    with probe._translate("list devices"):
        states = {info.serial: str(info.state) for info in probe._client.list()}
        if serial and serial not in states and ":" in serial:
            probe._client.connect(serial, timeout=10)
            states = {info.serial: str(info.state) for info in probe._client.list()}
    if serial is None:
        ready = [s for s, st in states.items() if st == "device"]
        if not ready:
            raise DeviceError(f"no device on the adb server at {adb}" + _listing(states))
        if len(ready) > 1:
            names = ", ".join(sorted(ready))
            raise DeviceError(f"{len(ready)} devices on the adb server at {adb}; name one: {names}")
        serial = ready[0]
    state = states.get(serial)
    if state is None:
        raise DeviceError(f"no device {serial!r} on the adb server at {adb}" + _listing(states))
    if state != "device":
        raise DeviceLost(f"device {serial!r} is {state}")
    return Device(serial, adb, timeout=timeout)


def _listing(states: dict[str, str]) -> str:
    if not states:
        return ""
    return "; it has: " + ", ".join(f"{s} ({st})" for s, st in sorted(states.items()))
