"""doctor's frida-server advice per kind of image, read from the device over adb: the
simulator's ``aosp`` profile (a userdebug build: ``ro.debuggable=1``, no su → ``adb root``)
and ``google`` (a Play image: user build, ``ro.secure=1`` → not possible). Every fix is
the command a user types next."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.device import AdbServer, Device, RootAccess, connect
from tests.e2e_support import require

PATH = "/data/local/tmp/frida-server"


def _cluster(profile: str) -> Iterator[Any]:
    try:
        from harness.sim import SimCluster
    except ImportError as exc:
        require("harness.sim", str(exc))
    with SimCluster(count=1, preinstall=False, profile=profile) as running:
        yield running


@pytest.fixture(scope="module")
def aosp() -> Iterator[Any]:
    yield from _cluster("aosp")


@pytest.fixture(scope="module")
def google() -> Iterator[Any]:
    yield from _cluster("google")


def _device(cluster: Any) -> tuple[Device, str]:
    device = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
    return device, f"adb -P {cluster.adb_port} -s {device.serial}"


def _checks(device: Device, adb: str, *, fix: bool = True) -> dict[str, Any]:
    from harness.cli._doctor_frida import _frida_server

    return {c.name: c for c in _frida_server(device, "x86_64", adb, fix=fix)}


def test_aosp_userdebug_without_su_says_adb_root_then_start(aosp: Any) -> None:
    device, adb = _device(aosp)
    checks = _checks(device, adb)
    assert [c.ok for c in checks.values()] == [False, False, False]
    assert checks["frida-server"].fix is not None
    assert "frida-server-" in checks["frida-server"].fix and "-android-x86_64" in checks[
        "frida-server"].fix
    assert f"{adb} push frida-server-" in checks["frida-server"].fix
    assert "ro.build.type=userdebug, ro.debuggable=1" in checks["root"].found
    assert checks["root"].fix == f"`{adb} root` (AOSP / Google APIs image: adbd restarts as root)"
    assert checks["frida-server running"].fix == (
        f"{adb} root && {adb} wait-for-device && {adb} shell {PATH} -D"
    )


def test_google_play_image_says_not_possible_everywhere(google: Any) -> None:
    device, adb = _device(google)
    props = device.props()
    assert device.shell(["getprop", "ro.secure"]).stdout.strip() == "1"
    assert props is not None
    checks = _checks(device, adb)
    assert not any(c.ok for c in checks.values())
    assert "ro.build.type=user, ro.debuggable=0" in checks["root"].found
    for name in ("frida-server", "root", "frida-server running"):
        fix = checks[name].fix
        assert fix is not None and fix.startswith("not possible: this is a user build"), fix
        assert "use an AOSP or Google APIs emulator image" in fix
        assert "adb root" not in fix and "curl" not in fix  # nothing that cannot work


def test_a_pushed_file_that_does_not_run_is_named_and_not_started(aosp: Any, tmp_path: Any) -> None:
    device, adb = _device(aosp)
    fake = tmp_path / "frida-server"
    fake.write_bytes(b"\x7fELF not really")
    device.push(fake, PATH)
    try:
        checks = _checks(device, adb, fix=True)
        server = checks["frida-server"]
        assert not server.ok and "is there but `--version` printed no version" in server.found
        assert "this device is x86_64" in server.found
        running = checks["frida-server running"]
        assert running.found == "not running"  # --fix has no root to start it with
        assert running.fix == f"{adb} root && {adb} wait-for-device && {adb} shell {PATH} -D"
    finally:
        device.shell(["rm", "-f", PATH])


@pytest.mark.parametrize(
    ("method", "command"),
    [
        ("adbd", f"adb -s X shell {PATH} -D"),
        ("su-0", f"adb -s X shell su 0 {PATH} -D"),
        ("su-c", f"adb -s X shell su -c '{PATH} -D'"),
    ],
)
def test_start_command_per_root_method(method: Any, command: str) -> None:
    assert RootAccess(method, True, "userdebug").start_command("adb -s X") == command


def test_hint_without_a_device_lists_every_kind_of_image() -> None:
    from harness.instrument.fridadev import frida_server_hint

    hint = frida_server_hint("emulator-5554")
    assert "root && adb" in hint and "wait-for-device" in hint
    assert f"su 0 {PATH} -D" in hint
    assert "Google Play image: not possible — use an AOSP or Google APIs image" in hint
    assert "consent-harness doctor --device emulator-5554 --fix" in hint


def test_hint_on_a_play_image_is_only_that_it_is_not_possible(google: Any) -> None:
    from harness.instrument.fridadev import frida_server_hint

    device, adb = _device(google)
    hint = frida_server_hint(device.serial, device=device)
    assert hint.startswith("not possible: this is a user build") and "push" not in hint
