"""Narrow device core over adbutils, with typed features (docs/internals.md "Device core").

Nothing here knows about the simulator; ``ro.harness.frida=local`` is just a property.
"""

from harness.device.core import ShellResult, quote_argv
from harness.device.device import Device, connect
from harness.device.errors import DeviceLost, DeviceTimeout
from harness.device.parse import DeviceProps, PackageInfo
from harness.device.server import AdbServer, adb_binary
from harness.errors import DeviceError

__all__ = [
    "AdbServer",
    "Device",
    "DeviceError",
    "DeviceLost",
    "DeviceProps",
    "DeviceTimeout",
    "PackageInfo",
    "ShellResult",
    "adb_binary",
    "connect",
    "quote_argv",
]
