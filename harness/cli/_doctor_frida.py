"""doctor's checks of frida-server on a phone: the file, its version, root, the process,
and Frida reaching it by the rule every command uses — each failure with the command a
user types next on this kind of image (see :class:`harness.device.RootAccess`)."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from harness.cli.doctor_cmd import Check
from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.device import Device, FridaServerState, RootAccess

__all__ = ["_frida_connects", "_frida_server"]


def _frida_server(device: Device, abi: str, adb: str, fix: bool) -> list[Check]:
    """frida-server's file, version, root and process, each with the command that comes
    next on this kind of image (see :class:`harness.device.RootAccess`)."""
    import frida

    from harness.device import FRIDA_SERVER_PATH

    host = frida.__version__
    arch = {"arm64-v8a": "arm64", "armeabi-v7a": "arm", "armeabi": "arm"}.get(abi, abi or "<abi>")
    name = f"frida-server-{host}-android-{arch}"
    state = device.frida_server()
    root = device.root_access()
    start = root.start_command(adb)
    rootable = root.method is not None or root.debuggable
    download = (
        f"curl -LO https://github.com/frida/frida/releases/download/{host}/{name}.xz && "
        f"unxz {name}.xz && {adb} push {name} {FRIDA_SERVER_PATH}"
        if rootable
        # frida-server needs root, and a user build without su has none: pushing it
        # would not help.
        else root.advice(adb)
    )
    checks: list[Check] = []
    if not state.present:
        checks.append(
            Check("frida-server", False, f"no {FRIDA_SERVER_PATH} on the device", download)
        )
    elif state.version is None:
        checks.append(
            Check(
                "frida-server",
                False,
                f"{FRIDA_SERVER_PATH} is there but `--version` printed no version "
                f"(wrong architecture? this device is {abi or '?'}; not executable?)",
                download,
            )
        )
    elif state.version.split(".")[:2] != host.split(".")[:2]:
        replace = download
        if state.running and root.method is not None:
            kill = shlex.join(root.argv(["kill", *map(str, state.pids)]))
            replace = f"{adb} shell {kill} && {download}"
        checks.append(
            Check(
                "frida-server",
                False,
                f"frida-server {state.version} on the device, frida {host} here "
                "(they must match)",
                f"{replace} && {start}" if rootable else replace,
            )
        )
    else:
        checks.append(Check("frida-server", True, f"{FRIDA_SERVER_PATH} {state.version}"))
    if root.method is None:
        checks.append(
            Check(
                "root",
                False,
                f"no root (adbd is not root, no su; ro.build.type={root.build_type or '?'}, "
                f"ro.debuggable={'1' if root.debuggable else '0'})",
                root.advice(adb),
            )
        )
    else:
        how = {"adbd": "adbd runs as root", "su-0": "su 0", "su-c": "su -c"}[root.method]
        checks.append(Check("root", True, how))
    checks.append(_running(device, state, root, start, fix))
    return checks


def _running(
    device: Device, state: FridaServerState, root: RootAccess, start: str, fix: bool
) -> Check:
    if state.running:
        return Check("frida-server running", True, f"pid {', '.join(map(str, state.pids))}")
    if not state.present:
        return Check("frida-server running", False, "not running (not there)", start)
    if fix and root.method is not None:
        try:
            started = device.start_frida_server(state.path, root=root)
        except HarnessError as exc:
            return Check("frida-server running", False, str(exc), start)
        return Check(
            "frida-server running",
            True,
            f"started by --fix: pid {', '.join(map(str, started.pids))}",
        )
    if root.method is not None:
        again = f"consent-harness doctor --fix --device {shlex.quote(device.serial)}"
        return Check("frida-server running", False, "not running", f"{again}  # or: {start}")
    return Check("frida-server running", False, "not running", start)


def _frida_connects(device: Device, frida_prop: str | None, *, server_port: int = 27042) -> Check:
    """Frida itself reaches frida-server, by the rule every command uses (through the
    adb server's forward when that is not 127.0.0.1:5037); the forward is removed after."""
    from harness.instrument.fridadev import (
        FRIDA_ERRORS,
        frida_server_hint,
        pick_frida_device,
        release_frida_forwards,
        server_version,
    )

    try:
        target = pick_frida_device(
            device.serial, frida_prop, device=device, server_port=server_port
        )
        target.device.enumerate_processes()
        version = server_version(target.device)
    except HarnessError as exc:
        failure: Exception = exc
    except FRIDA_ERRORS as exc:
        failure = exc
    else:
        how = target.kind
        if target.forward is not None:
            how = f"through `adb forward {target.forward.spec} tcp:{target.forward.device_port}`"
        return Check("frida connects", True, f"{how}: frida-server {version or '?'}")
    finally:
        release_frida_forwards(device.serial)
    fix = _restart(device, server_port) or frida_server_hint(device.serial, device=device)
    return Check("frida connects", False, str(failure), fix)


def _restart(device: Device, server_port: int) -> str | None:
    """When frida-server runs and still does not answer (started with ``-l`` elsewhere, or
    hung): the line that restarts it on its default port; None when it is not running."""
    from harness.device.frida_server import adb_command

    try:
        state, root = device.frida_server(), device.root_access()
    except HarnessError:
        return None
    if not state.running or root.method is None:
        return None
    adb = adb_command(device.serial, device.adb)
    kill = shlex.join(root.argv(["kill", *map(str, state.pids)]))
    return (f"{adb} shell {kill} && {root.start_command(adb, state.path)}  "
            f"# it runs (pid {', '.join(map(str, state.pids))}) but not on tcp:{server_port}")
