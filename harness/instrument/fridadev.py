"""Picking the Frida device that instruments a given ADB device (DESIGN §6 step 1).

One rule, for every command that instruments (``run``, ``check``, ``trace``, the pytest
plugin — all through :func:`pick_frida_device`):

1. a ``remote`` endpoint (``host:port`` of a frida-server, e.g. in a device farm);
2. ``ro.harness.frida=local`` (the simulated device): Frida's local device — the app
   processes are host processes;
3. the device's adb server is the default one (127.0.0.1:5037, the only server Frida's
   own USB backend talks to) and Frida lists the serial: that USB device;
4. otherwise frida-server is reached through the harness's adb server itself:
   ``adb forward tcp:0 tcp:27042`` (the server picks the port) and a Frida remote device
   on it. The forward is made once per device and process, checked on every reuse, and
   removed — with the remote device — by :func:`release_frida_forwards` (the CLI calls it
   when its devices are released; at exit in any case).
"""

from __future__ import annotations

import atexit
import shlex
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import frida

from harness.errors import HarnessError, InstrumentationError

#: Where frida-server listens on the device unless started with ``-l``.
FRIDA_SERVER_PORT = 27042

#: Every exception the frida package raises on purpose (there is no common base class).
FRIDA_ERRORS: tuple[type[Exception], ...] = (
    frida.ServerNotRunningError,
    frida.ExecutableNotFoundError,
    frida.ExecutableNotSupportedError,
    frida.ProcessNotFoundError,
    frida.ProcessNotRespondingError,
    frida.InvalidArgumentError,
    frida.InvalidOperationError,
    frida.PermissionDeniedError,
    frida.AddressInUseError,
    frida.TimedOutError,
    frida.NotSupportedError,
    frida.ProtocolError,
    frida.TransportError,
    frida.OperationCancelledError,
    frida.core.RPCException,
)


class ForwardingDevice(Protocol):
    """What the forward path needs of :class:`harness.device.Device`."""

    @property
    def serial(self) -> str: ...

    @property
    def adb(self) -> Any: ...  # harness.device.AdbServer

    def forward(self, local: str, remote: str) -> int | None: ...

    def remove_forward(self, local: str) -> bool: ...

    def list_forwards(self) -> list[tuple[str, str]]: ...


_FORWARDING = ("adb", "forward", "remove_forward", "list_forwards")


def _adb_command(serial: str, device: Any) -> str:
    from harness.device.frida_server import adb_command
    from harness.device.server import AdbServer

    server = getattr(device, "adb", None) if device is not None else None
    return adb_command(serial, server if server is not None else AdbServer.from_env())


def frida_server_hint(serial: str, *, device: Any = None) -> str:
    """What to do so that frida-server answers on ``serial``: the exact commands for this
    device when ``device`` (a :class:`harness.device.Device`) can be asked how it gets root,
    else the commands for each kind of image and where to get the exact one."""
    from harness.device.frida_server import FRIDA_SERVER_PATH

    version = frida.__version__
    adb = _adb_command(serial, device)
    path = FRIDA_SERVER_PATH
    get = (
        f"push frida-server {version} (frida-server-{version}-android-<abi> from "
        f"https://github.com/frida/frida/releases) with `{adb} push frida-server {path}` "
        f"and `{adb} shell chmod 755 {path}`"
    )
    start = None
    if device is not None and hasattr(device, "root_access"):
        try:
            start = device.root_access().start_command(adb, path)
        except HarnessError:
            start = None
    if start is None:
        start = (
            f"AOSP / Google APIs image: `{adb} root && {adb} wait-for-device && {adb} shell "
            f"{path} -D`; userdebug with su: `{adb} shell su 0 {path} -D`; rooted phone: "
            f"`{adb} shell su -c '{path} -D'`; Google Play image: not possible — use an AOSP "
            f"or Google APIs image (`consent-harness doctor --device {shlex.quote(serial)} "
            "--fix` says which and starts it)"
        )
    elif not start.startswith(adb):
        return start  # no root to be had: pushing frida-server would not help
    else:
        start = f"`{start}`"
    return f"{get}, then start it: {start}"


@dataclass
class AdbForward:
    """``adb forward tcp:LOCAL tcp:DEVICE_PORT`` on a device's adb server, and the Frida
    remote device on it."""

    device: ForwardingDevice
    local_port: int
    device_port: int
    #: ``host:port`` Frida connects to: the forward listens on the adb server's host.
    address: str
    frida_device: frida.Device | None = field(default=None, repr=False)

    @property
    def spec(self) -> str:
        return f"tcp:{self.local_port}"

    def alive(self) -> bool:
        try:
            return (self.spec, f"tcp:{self.device_port}") in self.device.list_forwards()
        except HarnessError:
            return False

    def close(self) -> None:
        """Remove the remote device and the forward (already gone is fine)."""
        try:
            frida.get_device_manager().remove_remote_device(self.address)
        except FRIDA_ERRORS:
            pass  # never added, or Frida already dropped it
        try:
            self.device.remove_forward(self.spec)
        except HarnessError:
            pass  # the server or the device is gone, and the forward with it


_lock = threading.Lock()
#: (adb server, serial, device port) → the forward this process made for it.
_forwards: dict[tuple[str, str, int], AdbForward] = {}


def _forward(device: ForwardingDevice, device_port: int) -> AdbForward:
    key = (str(device.adb), device.serial, device_port)
    with _lock:
        known = _forwards.get(key)
        if known is not None and known.alive():
            return known
        if known is not None:  # the device reconnected: adb dropped its forwards
            known.close()
            del _forwards[key]
        port = device.forward("tcp:0", f"tcp:{device_port}")
        if port is None:
            raise InstrumentationError(f"{device.serial}: adb forward tcp:0 reported no port")
        host = "127.0.0.1" if device.adb.is_local else device.adb.host
        made = AdbForward(device, port, device_port, f"{host}:{port}")
        _forwards[key] = made
        return made


def release_frida_forwards(serial: str | None = None) -> int:
    """Remove the forwards (and Frida remote devices) made for ``serial`` — every one when
    None. Returns how many were removed."""
    with _lock:
        keys = [k for k in _forwards if serial is None or k[1] == serial]
        gone = [_forwards.pop(k) for k in keys]
    for fwd in gone:
        fwd.close()
    return len(gone)


atexit.register(release_frida_forwards)


@dataclass(frozen=True)
class FridaTarget:
    device: frida.Device
    kind: str  # "local" | "usb" | "remote" | "forward"
    #: The adb forward behind a ``forward`` target (shared by the process: see
    #: :func:`release_frida_forwards`).
    forward: AdbForward | None = None


def _is_default_server(device: ForwardingDevice | None) -> bool:
    from harness.device.server import DEFAULT_PORT, AdbServer

    server = device.adb if device is not None else AdbServer.from_env()
    return bool(server.is_local and server.port == DEFAULT_PORT)


def pick_frida_device(
    serial: str,
    frida_prop: str | None,
    *,
    remote: str | None = None,
    timeout: float = 5.0,
    device: object | None = None,
    server_port: int = FRIDA_SERVER_PORT,
) -> FridaTarget:
    """The Frida device for the ADB device ``serial`` (see the module docstring).

    ``device`` is the :class:`harness.device.Device` (its adb server, and forwards through
    it); without it the adb server is the environment's (``ADB_SERVER_SOCKET``,
    ``ANDROID_ADB_SERVER_PORT``). ``server_port``: frida-server's port on the device."""
    # Any DeviceLike is accepted (launch() has no narrower type); one that cannot forward
    # (tests' stand-ins) means the environment's adb server.
    forwarding = (
        cast(ForwardingDevice, device)
        if device is not None and all(hasattr(device, n) for n in _FORWARDING)
        else None
    )
    try:
        if remote:
            return FridaTarget(frida.get_device_manager().add_remote_device(remote), "remote")
        if frida_prop == "local":
            return FridaTarget(frida.get_local_device(), "local")
    except FRIDA_ERRORS as exc:
        raise InstrumentationError(f"cannot reach Frida on {remote or 'this host'}: {exc}") from exc
    if _is_default_server(forwarding):
        try:
            return FridaTarget(frida.get_device(serial, timeout=int(max(timeout, 1))), "usb")
        except (frida.InvalidArgumentError, frida.TimedOutError):
            pass  # Frida's USB backend does not list it: go through the adb server
        except FRIDA_ERRORS as exc:
            raise InstrumentationError(f"cannot reach Frida on {serial}: {exc}") from exc
    return _through_forward(serial, forwarding, server_port)


def _through_forward(
    serial: str, device: ForwardingDevice | None, server_port: int
) -> FridaTarget:
    if device is None:
        from harness.device.core import DeviceCore
        from harness.device.server import AdbServer

        device = DeviceCore(serial, AdbServer.from_env(), timeout=15.0)
    server, adb = device.adb, _adb_command(serial, device)
    try:
        fwd = _forward(device, server_port)
    except HarnessError as exc:
        raise InstrumentationError(
            f"cannot forward to frida-server on {serial} through the adb server at {server}: "
            f"{exc}; is the device listed by `{adb.split(' -s ')[0]} devices`?"
        ) from exc
    route = f"`adb forward {fwd.spec} tcp:{server_port}` on the adb server at {server}"
    try:
        fwd.frida_device = frida.get_device_manager().add_remote_device(fwd.address)
        _probe(fwd.frida_device)
    except FRIDA_ERRORS as exc:
        release_frida_forwards(serial)  # nothing answers behind it: don't leave it open
        reach = "" if server.is_local else (
            f" (the forward listens on {server.host}: its adb server must run with `-a` "
            "to be reachable from here)"
        )
        raise InstrumentationError(
            f"frida-server does not answer on {serial} (port {server_port}, through {route})"
            f"{reach}: {exc}; {frida_server_hint(serial, device=device)}"
        ) from exc
    return FridaTarget(fwd.frida_device, "forward", fwd)


def _probe(device: frida.Device) -> None:
    """Connect now, so that a frida-server that is not there fails here, with the route,
    rather than at spawn. A Frida endpoint without system parameters (a portal) still
    answered."""
    try:
        device.query_system_parameters()
    except frida.NotSupportedError:
        pass


def server_version(device: frida.Device) -> str | None:
    """frida-server's version when the device reports it (None for the local device)."""
    try:
        params = device.query_system_parameters()
    except frida.NotSupportedError:
        return None  # an endpoint that is not a frida-server (a portal)
    except FRIDA_ERRORS as exc:
        raise InstrumentationError(f"cannot query Frida on {device.id}: {exc}") from exc
    info = params.get("frida") if isinstance(params, dict) else None
    if isinstance(info, dict) and isinstance(info.get("version"), str):
        return str(info["version"])
    return None
