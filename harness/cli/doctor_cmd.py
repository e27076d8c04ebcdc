"""``consent-harness doctor``: is everything in place to run scenarios?

Each check prints ok / FAIL (or info) with what was found and, on failure, the exact
command that fixes it. Exit status 0 when nothing failed, 3 otherwise.

The device is chosen by the one device rule (``harness.device.select``). doctor never
leaves an adb server behind: one it starts to look at local devices is stopped again,
and an unreachable server is a failure, never "ok".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import click

from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.device import AdbServer, Device

Status = Literal["ok", "fail", "info"]


@dataclass
class Check:
    name: str
    ok: bool
    found: str
    fix: str | None = None
    info: bool = False

    @property
    def status(self) -> Status:
        return "info" if self.info else ("ok" if self.ok else "fail")


def _adb() -> Check:
    try:
        from harness.device import adb_binary

        path = adb_binary()
        out = subprocess.run([path, "version"], capture_output=True, text=True, timeout=20)
    except (HarnessError, OSError, subprocess.SubprocessError) as exc:
        return Check("adb", False, str(exc), "pip install --force-reinstall 'adbutils>=2.12'")
    first = (out.stdout.splitlines() or ["?"])[0]
    return Check(
        "adb",
        out.returncode == 0,
        f"{path}: {first}",
        None if out.returncode == 0 else f"{path} version  # fails; reinstall adbutils",
    )


def _frida() -> Check:
    try:
        import frida

        from harness.instrument.agent import agent_source

        agent_source()
    except ImportError as exc:
        return Check("frida", False, str(exc), "pip install 'frida>=17.26' 'frida-tools>=14.13'")
    except HarnessError as exc:
        return Check("frida", False, str(exc), "pip install 'frida-tools>=14.13'")
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        version = dist_version("frida-tools")
    except PackageNotFoundError:
        version = "?"
    return Check(
        "frida", True, f"frida {frida.__version__}, frida-tools {version} (Java bridge found)"
    )


def _jdk() -> Check:
    java, javac = shutil.which("java"), shutil.which("javac")
    if java is None or javac is None:
        return Check(
            "jdk (simulator)",
            False,
            "java/javac not on PATH",
            "sudo apt-get install -y openjdk-17-jdk-headless  # or any JDK >= 17",
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    first = (out.stderr.splitlines() or ["?"])[0]
    return Check("jdk (simulator)", out.returncode == 0, f"{java}: {first}")


def _devices(serials: tuple[str, ...], adb: str | None, fix: bool) -> list[Check]:
    from harness.device import AdbServer, DeviceError, attach, resolve_devices

    if adb and not serials and not os.environ.get("ANDROID_SERIAL", "").strip():
        # `doctor --adb HOST:PORT`: what is on that server, without starting one.
        try:
            return [_server_listing(AdbServer.parse(adb), explicit=True)]
        except HarnessError as exc:
            return [Check("adb server", False, str(exc))]
    try:
        request = resolve_devices(serials, adb)
    except HarnessError as exc:
        return [Check("device", False, str(exc), "consent-harness doctor --device SERIAL")]
    server = request.server
    if request.simulator:
        return [
            Check(
                "device",
                True,
                request.describe() + ": commands start it (needs the JDK)",
                info=True,
            ),
            _server_listing(server),
        ]
    if not server.reachable() and not server.is_local:
        return [
            Check(
                "adb server",
                False,
                f"nothing answers at {server}",
                f"start it there (`adb -a -P {server.port} nodaemon server`) or fix --adb / "
                "ADB_SERVER_SOCKET / ANDROID_ADB_SERVER_PORT",
            )
        ]
    checks: list[Check] = []
    try:
        with attach(request, timeout=20) as devices:
            for device in devices:
                checks += _one_device(device, fix)
    except DeviceError as exc:
        checks.append(
            Check(
                "device",
                False,
                str(exc),
                f"adb -H {server.host} -P {server.port} devices  # is it listed as 'device'?",
            )
        )
    return checks


def _server_listing(server: AdbServer, *, explicit: bool = False) -> Check:
    """What an adb server has, without starting one. ``explicit`` (named by ``--adb``):
    no server, or no usable device on it, is a failure."""
    if not server.reachable():
        if explicit:
            return Check(
                "adb server",
                False,
                f"nothing answers at {server}",
                f"start it there (`adb -a -P {server.port} nodaemon server`) or fix --adb",
            )
        return Check(
            "adb server", True, f"none running at {server} (doctor does not start one)", info=True
        )
    try:
        listing = {d.serial: str(d.state) for d in server.client(10).list()}
    except Exception as exc:  # noqa: BLE001 - any adbutils/socket failure is reported, not raised
        return Check("adb server", False, f"{server} answers but cannot list devices: {exc}")
    names = ", ".join(f"{s} ({st})" for s, st in sorted(listing.items())) or "no devices"
    ready = [s for s, st in listing.items() if st == "device"]
    if explicit and not ready:
        return Check(
            "adb server",
            False,
            f"{server}: {names}",
            f"adb -H {server.host} -P {server.port} devices  # connect or authorize one",
        )
    return Check(
        "adb server",
        True,
        f"{server}: {names}; use --device SERIAL for one of them",
        info=not explicit,
    )


def __getattr__(name: str) -> Any:
    # The phone checks live in harness.cli._doctor_frida (which imports Check from here);
    # reachable under their old names.
    if name in ("_frida_server", "_frida_connects"):
        from harness.cli import _doctor_frida

        return getattr(_doctor_frida, name)
    raise AttributeError(name)


def _one_device(device: Device, fix: bool) -> list[Check]:
    from harness.cli._doctor_frida import _frida_connects, _frida_server
    from harness.device.frida_server import adb_command

    props = device.props()
    checks = [
        Check(
            "device",
            True,
            f"{device.serial}: {props.model}, Android {props.release} "
            f"(sdk {props.sdk_int}, {props.abi})",
        )
    ]
    if props.frida == "local":
        checks.append(
            Check(
                "frida on device",
                True,
                "local (simulated device: apps are host processes, no frida-server)",
            )
        )
        return checks
    adb = adb_command(device.serial, device.adb)
    checks += _frida_server(device, props.abi, adb, fix)
    if all(c.ok for c in checks):
        checks.append(_frida_connects(device, props.frida))
    return checks


_MARK = {
    "ok": click.style("ok  ", fg="green"),
    "fail": click.style("FAIL", fg="red"),
    "info": click.style("info", fg="cyan"),
}


@click.command()
@click.option(
    "--device",
    "-d",
    "serials",
    multiple=True,
    metavar="SERIAL",
    help="Device to check (default: ANDROID_SERIAL, else the simulated device).",
)
@click.option(
    "--adb",
    default=None,
    metavar="HOST:PORT",
    help="adb server (default: ADB_SERVER_SOCKET / ANDROID_ADB_SERVER_PORT, else 127.0.0.1:5037).",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Start the frida-server pushed to /data/local/tmp/frida-server (as root).",
)
def doctor(serials: tuple[str, ...], adb: str | None, fix: bool) -> None:
    """Check adb, the device, Frida and the JDK; print the fix for each failure."""
    steps: list[Callable[[], list[Check]]] = [
        lambda: [_adb()],
        lambda: [_frida()],
        lambda: [_jdk()],
        lambda: _devices(serials, adb, fix),
    ]
    failed = 0
    for step in steps:
        for check in step():
            click.echo(f"{_MARK[check.status]} {check.name}: {check.found}")
            if check.status == "fail":
                failed += 1
                if check.fix:
                    click.echo(f"     fix: {check.fix}")
    if failed:
        click.echo(f"{failed} check(s) failed", err=True)
        sys.exit(3)
    click.echo("all checks passed")
