"""Typed features: props, packages, permissions, start/pidof, UI, input, screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from harness.device import Device, DeviceError, PackageInfo
from harness.ui import UiDumpError, find_consent

from .conftest import PACKAGE, PERMISSIONS


def _granted(device: Device, package: str) -> set[str]:
    dump = device.shell_ok(["dumpsys", "package", package]).stdout
    return {line.split(":")[0].strip() for line in dump.splitlines() if "granted=true" in line}


def test_props(device: Device) -> None:
    props = device.props()
    assert props.serial == device.serial
    assert props.model and props.sdk_int >= 21 and props.release and props.abi
    assert props.frida == "local"
    assert props.raw["ro.product.model"] == props.model


def test_package_info(device: Device, installed: str) -> None:
    assert device.package_info(installed) == PackageInfo(installed, "2.5", 25)
    assert device.package_info("com.example.absent") is None


def test_grant_revoke_and_revoke_all(device: Device, installed: str) -> None:
    assert set(device.runtime_permissions(installed)) >= set(PERMISSIONS)
    device.grant(installed, "android.permission.CAMERA")
    assert "android.permission.CAMERA" in _granted(device, installed)
    device.revoke(installed, "android.permission.CAMERA")
    assert "android.permission.CAMERA" not in _granted(device, installed)
    granted = device.grant_all(installed)
    assert set(granted.changed) >= set(PERMISSIONS) and granted.complete
    assert _granted(device, installed) >= set(PERMISSIONS)
    assert set(device.revoke_all(installed).changed) >= set(PERMISSIONS)
    assert not _granted(device, installed) & set(PERMISSIONS)
    with pytest.raises(DeviceError):
        device.grant(installed, "android.permission.NOT_REQUESTED")


def test_hostile_names_never_reach_the_shell(device: Device) -> None:
    for bad in ("com.x; reboot", "com.x$(id)", "x", "../x.y", "com.x y"):
        with pytest.raises(DeviceError, match="not an Android package name"):
            device.pidof(bad)
        with pytest.raises(DeviceError):
            device.start(bad)
    with pytest.raises(DeviceError, match="not an Android permission"):
        device.grant(PACKAGE, "android.permission.CAMERA; reboot")
    with pytest.raises(DeviceError, match="not an activity"):
        device.start(PACKAGE, "Main; reboot")
    with pytest.raises(DeviceError, match="not a key"):
        device.key("BACK; reboot")
    with pytest.raises(DeviceError, match="not a screen coordinate"):
        device.tap(-1, 5)


def test_start_pidof_consent_dialog_tap_and_clear(device: Device, installed: str) -> None:
    assert device.pidof(installed) is None
    assert device.launcher_activity(installed) == f"{installed}.MainActivity"
    device.start(installed)
    pid = device.wait_pid(installed, 30)
    assert pid > 0 and device.pidof(installed) == pid

    dialog = _wait_dialog(device)
    assert dialog.agree is not None and dialog.refuse is not None
    assert (dialog.agree.text, dialog.refuse.text) == ("Agree", "Disagree")
    assert dialog.package == installed
    device.tap(*dialog.agree.center)
    _wait(lambda: find_consent(device.dump_ui()) is None, "the dialog to close")

    # consent is saved: a restart shows no dialog; pm clear brings it back
    device.force_stop(installed)
    _wait(lambda: device.pidof(installed) is None, "the app to stop")
    device.start(installed)
    device.wait_pid(installed, 30)
    _wait(lambda: any(t == "Welcome" for t in device.dump_ui().texts()), "the main screen")
    assert find_consent(device.dump_ui()) is None
    device.clear_data(installed)
    assert device.pidof(installed) is None  # pm clear kills the app, as on Android
    device.start(installed)
    device.wait_pid(installed, 30)
    _wait_dialog(device)
    device.key("BACK")
    device.key("keycode_home")
    device.force_stop(installed)


def test_start_with_wait_debugger(device: Device, installed: str) -> None:
    device.start(installed, ".MainActivity", wait_debugger=True)
    assert device.wait_pid(installed, 30) > 0
    device.force_stop(installed)


def test_start_unknown_package(device: Device) -> None:
    with pytest.raises(DeviceError, match="no launcher activity"):
        device.start("com.example.absent")
    with pytest.raises(DeviceError, match="pm clear"):
        device.clear_data("com.example.absent")


def test_dump_ui_and_screenshot(device: Device) -> None:
    tree = device.dump_ui()
    assert len(tree) >= 1 and tree.roots
    png = device.screenshot()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 100


def test_malformed_dump_is_a_uidumperror(device: Device, cluster: Any) -> None:
    cluster.control(device.serial).malform_next_dump()
    with pytest.raises(UiDumpError):
        device.dump_ui()
    device.dump_ui()  # the fault was one-shot


def _wait(check: Any, what: str, timeout: float = 30.0) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _wait_dialog(device: Device) -> Any:
    return _wait(lambda: find_consent(device.dump_ui()), "the consent dialog")
