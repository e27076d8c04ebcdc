"""Parsers for device command output (pure; unit-tested without a device)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PROP = re.compile(r"^\[([^\]]+)\]: \[(.*)\]$")


@dataclass(frozen=True)
class DeviceProps:
    """What ``getprop`` says about a device."""

    serial: str
    model: str
    sdk_int: int
    release: str
    abi: str
    #: ``ro.harness.frida``: how to reach the device with Frida (``local`` = the
    #: simulator's apps run on this host); None on ordinary devices.
    frida: str | None
    raw: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class PackageInfo:
    package: str
    version_name: str | None
    version_code: int | None


def parse_getprop(text: str) -> dict[str, str]:
    """``[key]: [value]`` lines → dict. Multi-line values keep their first line."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        m = _PROP.match(line.strip())
        if m:
            props[m.group(1)] = m.group(2)
    return props


def device_props(serial: str, props: dict[str, str]) -> DeviceProps:
    sdk = props.get("ro.build.version.sdk", "")
    return DeviceProps(
        serial=serial,
        model=props.get("ro.product.model", ""),
        sdk_int=int(sdk) if sdk.isdigit() else 0,
        release=props.get("ro.build.version.release", ""),
        abi=props.get("ro.product.cpu.abi", ""),
        frida=props.get("ro.harness.frida") or None,
        raw=props,
    )


def parse_package_dump(text: str, package: str) -> PackageInfo | None:
    """``dumpsys package PKG`` → version; None when the package is not installed."""
    if f"Package [{package}]" not in text:
        return None
    section = text[text.index(f"Package [{package}]") :]
    code = re.search(r"\bversionCode=(\d+)", section)
    name = re.search(r"\bversionName=(\S*)", section)
    return PackageInfo(
        package=package,
        version_name=name.group(1) if name else None,
        version_code=int(code.group(1)) if code else None,
    )


def parse_app_debuggable(text: str, package: str) -> bool | None:
    """Does ``dumpsys package PKG`` flag the app ``DEBUGGABLE`` (``flags=[ DEBUGGABLE …]``,
    android:debuggable)? None when the package or its flags line is not there."""
    marker = f"Package [{package}]"
    if marker not in text:
        return None
    m = re.search(r"^\s*(?:pkg)?[fF]lags=\[([^\]]*)\]", text[text.index(marker) :], re.M)
    return "DEBUGGABLE" in m.group(1).split() if m else None


def runtime_permissions(text: str) -> list[str]:
    """Permissions listed under ``runtime permissions:`` in ``dumpsys package PKG``."""
    return _section(text, "runtime permissions:", r"^\s+([\w.]+): granted=")


def requested_permissions(text: str) -> list[str]:
    """Permissions listed under ``requested permissions:`` in ``dumpsys package PKG``."""
    return _section(text, "requested permissions:", r"^\s+([\w.]+)\s*(?:,|$)")


def _section(text: str, header: str, item: str) -> list[str]:
    out: list[str] = []
    lines = text.splitlines()
    pattern = re.compile(item)
    for i, line in enumerate(lines):
        if line.strip() != header:
            continue
        indent = len(line) - len(line.lstrip())
        for follow in lines[i + 1 :]:
            if not follow.strip() or len(follow) - len(follow.lstrip()) <= indent:
                break
            m = pattern.match(follow)
            if m and m.group(1) not in out:
                out.append(m.group(1))
    return out


def parse_resolved_activity(text: str, package: str) -> str | None:
    """Last ``pkg/activity`` line of ``cmd package resolve-activity --brief``."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith(package + "/"):
            return line.split("/", 1)[1]
    return None


def parse_pids(text: str) -> list[int]:
    return [int(tok) for tok in text.split() if tok.isdigit()]


@dataclass(frozen=True)
class ProcessRow:
    """One line of ``ps -A``."""

    user: str
    pid: int
    ppid: int
    name: str


def parse_ps(text: str) -> list[ProcessRow]:
    """``ps -A`` (toybox: ``USER PID PPID VSZ RSS WCHAN ADDR S NAME``) → rows.

    Columns are found from the header; the name is the last column and may not
    contain spaces on Android (it is the process's argv[0])."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = lines[0].split()
    try:
        i_user, i_pid = header.index("USER"), header.index("PID")
    except ValueError:
        return []
    i_ppid = header.index("PPID") if "PPID" in header else None
    rows: list[ProcessRow] = []
    for line in lines[1:]:
        cols = line.split()
        if len(cols) < len(header) or not cols[i_pid].isdigit():
            continue
        ppid = cols[i_ppid] if i_ppid is not None else "0"
        rows.append(
            ProcessRow(cols[i_user], int(cols[i_pid]), int(ppid) if ppid.isdigit() else 0, cols[-1])
        )
    return rows


def parse_user_id(text: str, package: str) -> int | None:
    """``userId=10123`` of ``Package [PKG]`` in ``dumpsys package PKG``."""
    marker = f"Package [{package}]"
    if marker not in text:
        return None
    m = re.search(r"\buserId=(\d+)", text[text.index(marker) :])
    return int(m.group(1)) if m else None


def app_user_name(uid: int, user: int = 0) -> str:
    """Android's name for an app uid in ``ps``: 10123 → ``u0_a123``."""
    return f"u{user}_a{uid % 100000 - 10000}"


def parse_install_session(text: str) -> int | None:
    """``Success: created install session [1234]`` → 1234."""
    m = re.search(r"created install session \[(\d+)\]", text)
    return int(m.group(1)) if m else None
