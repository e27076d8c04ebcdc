"""``consent-harness doctor``: is everything in place to run scenarios?

Each check prints ok / FAIL with what was found and, on failure, the command that fixes
it. Exit status 0 when all pass, 3 otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

import adbutils
import click

from harness.errors import HarnessError


@dataclass
class Check:
    name: str
    ok: bool
    found: str
    fix: str | None = None


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


def _device(serial: str | None, adb: str | None) -> list[Check]:
    from harness.device import AdbServer, connect

    server = AdbServer.parse(adb) if adb else AdbServer()
    try:
        device = connect(serial, server)
        props = device.props()
    except (HarnessError, adbutils.AdbError) as exc:  # AdbError: connect() lets one escape
        if serial is None:
            return [
                Check(
                    "device",
                    True,
                    f"none attached ({exc}); commands will use the built-in simulated device",
                )
            ]
        return [
            Check(
                "device",
                False,
                str(exc),
                f"adb -H {server.host} -P {server.port} devices"
                f"  # is {serial} listed and 'device'?",
            )
        ]
    checks = [
        Check(
            "device",
            True,
            f"{device.serial}: {props.model}, Android {props.release} "
            f"(sdk {props.sdk_int}, {props.abi})",
        )
    ]
    checks.append(_frida_on(device.serial, props.frida))
    return checks


def _frida_on(serial: str, frida_prop: str | None) -> Check:
    import frida

    from harness.instrument.fridadev import (
        FRIDA_ERRORS,
        frida_server_hint,
        pick_frida_device,
        server_version,
    )

    try:
        target = pick_frida_device(serial, frida_prop)
        if target.kind == "local":
            return Check(
                "frida on device", True, "local (simulated device: apps are host processes)"
            )
        target.device.enumerate_processes()
        version = server_version(target.device)
    except HarnessError as exc:
        return Check("frida on device", False, str(exc), frida_server_hint(serial))
    except FRIDA_ERRORS as exc:
        return Check("frida on device", False, str(exc), frida_server_hint(serial))
    if version is not None and version.split(".")[:2] != frida.__version__.split(".")[:2]:
        return Check(
            "frida on device",
            False,
            f"frida-server {version}, client {frida.__version__}",
            frida_server_hint(serial),
        )
    return Check("frida on device", True, f"frida-server {version or '(version not reported)'}")


@click.command()
@click.option("--device", "-d", "serial", default=None, metavar="SERIAL", help="Device to check.")
@click.option(
    "--adb", default=None, metavar="HOST:PORT", help="adb server (default 127.0.0.1:5037)."
)
def doctor(serial: str | None, adb: str | None) -> None:
    """Check adb, the device, Frida and the JDK; print the fix for each failure."""
    steps: list[Callable[[], list[Check]]] = [
        lambda: [_adb()],
        lambda: [_frida()],
        lambda: [_jdk()],
        lambda: _device(serial, adb),
    ]
    failed = 0
    for step in steps:
        for check in step():
            mark = click.style("ok  ", fg="green") if check.ok else click.style("FAIL", fg="red")
            click.echo(f"{mark} {check.name}: {check.found}")
            if not check.ok:
                failed += 1
                if check.fix:
                    click.echo(f"     fix: {check.fix}")
    if failed:
        click.echo(f"{failed} check(s) failed", err=True)
        sys.exit(3)
    click.echo("all checks passed")
