"""Picking the Frida device that instruments a given ADB device (DESIGN §6 step 1).

* ``ro.harness.frida=local`` (the simulated device): Frida's local device — the app
  processes are host processes.
* a ``remote`` endpoint (``host:port`` of a frida-server, e.g. in a device farm).
* otherwise the USB device whose Frida id is the ADB serial (frida-server on the phone).
"""

from __future__ import annotations

from dataclasses import dataclass

import frida

from harness.errors import InstrumentationError

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


def frida_server_hint(serial: str) -> str:
    version = frida.__version__
    return (
        f"start frida-server {version} on the device: download "
        f"frida-server-{version}-android-<abi> from https://github.com/frida/frida/releases, "
        f"then `adb -s {serial} push frida-server /data/local/tmp/ && adb -s {serial} shell "
        "'chmod 755 /data/local/tmp/frida-server && su -c /data/local/tmp/frida-server &'`"
    )


@dataclass(frozen=True)
class FridaTarget:
    device: frida.Device
    kind: str  # "local" | "usb" | "remote"


def pick_frida_device(
    serial: str, frida_prop: str | None, *, remote: str | None = None, timeout: float = 5.0
) -> FridaTarget:
    """The Frida device for the ADB device ``serial`` (see the module docstring)."""
    try:
        if remote:
            return FridaTarget(frida.get_device_manager().add_remote_device(remote), "remote")
        if frida_prop == "local":
            return FridaTarget(frida.get_local_device(), "local")
        return FridaTarget(frida.get_device(serial, timeout=int(max(timeout, 1))), "usb")
    except (frida.InvalidArgumentError, frida.TimedOutError) as exc:
        raise InstrumentationError(
            f"Frida does not see device {serial} ({exc}); {frida_server_hint(serial)}"
        ) from exc
    except FRIDA_ERRORS as exc:
        where = remote or serial
        raise InstrumentationError(f"cannot reach Frida on {where}: {exc}") from exc


def server_version(device: frida.Device) -> str | None:
    """frida-server's version when the device reports it (None for the local device)."""
    try:
        params = device.query_system_parameters()
    except FRIDA_ERRORS as exc:
        raise InstrumentationError(f"cannot query Frida on {device.id}: {exc}") from exc
    info = params.get("frida") if isinstance(params, dict) else None
    if isinstance(info, dict) and isinstance(info.get("version"), str):
        return str(info["version"])
    return None
