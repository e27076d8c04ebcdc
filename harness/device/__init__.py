"""Narrow device core over adbutils, with typed features (docs/internals.md "Device core").

Nothing here knows about the simulator; ``ro.harness.frida=local`` is just a property.
"""

from harness.device.core import ShellResult, quote_argv
from harness.device.device import Device, connect
from harness.device.errors import DebugWaitRefused, DeviceLost, DeviceTimeout, UiBusy
from harness.device.frida_server import FRIDA_SERVER_PATH, FridaServerState, RootAccess
from harness.device.parse import DeviceProps, PackageInfo
from harness.device.permissions import PermissionChanges
from harness.device.processes import AppProcess
from harness.device.screen import WakeResult
from harness.device.select import DeviceRequest, attach, resolve_devices
from harness.device.server import AdbServer, adb_binary
from harness.errors import DeviceError

__all__ = [
    "FRIDA_SERVER_PATH",
    "AdbServer",
    "AppProcess",
    "DebugWaitRefused",
    "Device",
    "DeviceRequest",
    "DeviceError",
    "DeviceLost",
    "DeviceProps",
    "DeviceTimeout",
    "UiBusy",
    "FridaServerState",
    "PackageInfo",
    "PermissionChanges",
    "RootAccess",
    "ShellResult",
    "WakeResult",
    "adb_binary",
    "attach",
    "connect",
    "quote_argv",
    "resolve_devices",
]
