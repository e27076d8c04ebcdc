"""Validation of names that reach a device command line (packages, permissions, …).

Everything here is checked before use, on top of ``shlex.quote``: a name from a
scenario, a dump or a device must look like what it claims to be.
"""

from __future__ import annotations

import re

from harness.errors import DeviceError, InputError

#: docs/internals.md "Device core" (harness.scenario.model keeps the same rule).
PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
PERMISSION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
ACTIVITY_RE = re.compile(r"^\.?[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$", re.ASCII)
KEY_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def check_package(name: str) -> str:
    if not isinstance(name, str) or len(name) > 255 or not PACKAGE_RE.fullmatch(name):
        raise DeviceError(f"not an Android package name: {name!r}")
    return name


def check_permission(name: str) -> str:
    if not isinstance(name, str) or len(name) > 255 or not PERMISSION_RE.fullmatch(name):
        raise DeviceError(f"not an Android permission name: {name!r}")
    return name


def check_activity(name: str) -> str:
    if not isinstance(name, str) or len(name) > 512 or not ACTIVITY_RE.fullmatch(name):
        raise DeviceError(f"not an activity class name: {name!r}")
    return name


def keycode(name: str | int) -> str:
    """``BACK`` / ``keycode_back`` / ``4`` → the argument of ``input keyevent``."""
    if isinstance(name, int) and not isinstance(name, bool) and 0 <= name < 1000:
        return str(name)
    if isinstance(name, str):
        key = name.strip().upper().removeprefix("KEYCODE_")
        if key.isdigit() and len(key) < 4:
            return key
        if KEY_RE.fullmatch(key):
            return "KEYCODE_" + key
    raise DeviceError(f"not a key name: {name!r} (expected e.g. BACK, HOME, ENTER or a key code)")


#: adb serials: USB serials, ``emulator-5554``, ``host:port``, mDNS names
#: (``adb-XYZ._adb-tls-connect._tcp``). Never a shell or adb-protocol metacharacter.
SERIAL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-\[\]]{0,127}$", re.ASCII)


def check_serial(name: str, what: str = "--device") -> str:
    if not isinstance(name, str) or not SERIAL_RE.fullmatch(name):
        raise InputError(f"{what}: {name!r} is not a device serial (see `adb devices`)", field=what)
    return name
