"""Bundled sim apps on the simulated device, over adb only (real adb server, adbutils, JVMs)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import adbutils
from tests_sim_helpers import dump_xml, wait_for

from harness.sim.apps import bundled_packages

WAIT = 90.0  # the first launch of each app compiles it; a wait bound, never asserted on



_dump = dump_xml


def _texts(dev: adbutils.AdbDevice) -> list[str]:
    return [n.get("text", "") for n in _dump(dev).iter("node") if n.get("text")]


def _center(node: ET.Element) -> tuple[int, int]:
    left, top, right, bottom = map(int, re.findall(r"\d+", node.get("bounds", "")))
    return (left + right) // 2, (top + bottom) // 2


def _nodes(dev: adbutils.AdbDevice, text: str) -> list[ET.Element]:
    """Nodes with this exact text (a list: an Element without children is falsy)."""
    return [n for n in _dump(dev).iter("node") if n.get("text") == text]


def _deny_prompt(dev: adbutils.AdbDevice) -> None:
    """Wait for the system permission prompt and tap Don't allow."""
    deny = wait_for(lambda: _nodes(dev, "Don't allow"), WAIT)[0]
    x, y = _center(deny)
    dev.shell(f"input tap {x} {y}")


def _pid(dev: adbutils.AdbDevice, pkg: str) -> str:
    return dev.shell2(f"pidof {pkg}").output.strip()


def _restart(dev: adbutils.AdbDevice, pkg: str) -> None:
    dev.shell(f"am force-stop {pkg}")
    wait_for(lambda: not _pid(dev, pkg), WAIT)
    dev.shell("logcat -c")
    dev.shell(f"am start -n {pkg}/.MainActivity")


def test_bundled_apps_are_installed_and_reinstallable(device: adbutils.AdbDevice) -> None:
    listed = device.shell("pm list packages")
    for apk in bundled_packages():
        assert f"package:{apk.stem}" in listed
    device.install(
        str(next(p for p in bundled_packages() if p.stem == "com.example.news")),
        nolaunch=True,
        silent=True,
    )
    assert "package:com.example.news" in device.shell("pm list packages")


def test_debug_wait_then_force_stop(device: adbutils.AdbDevice) -> None:
    pkg = "com.example.news"
    device.shell("logcat -c")
    device.shell(f"am start -D -n {pkg}/.MainActivity")
    pid = wait_for(lambda: _pid(device, pkg), WAIT)
    wait_for(lambda: "Waiting for debugger" in device.shell("logcat -d"), WAIT)
    log = device.shell("logcat -d")
    assert "ExampleAnalytics" not in log  # no app code ran
    assert "用户协议与隐私政策" not in _texts(device)
    device.shell(f"am force-stop {pkg}")
    wait_for(lambda: device.shell2(f"pidof {pkg}").returncode == 1, WAIT)
    assert pid


def test_consent_dialog_tap_relaunch_and_clear(device: adbutils.AdbDevice) -> None:
    pkg = "com.example.compliant"
    device.shell(f"pm clear {pkg}")
    _restart(device, pkg)
    agree = wait_for(lambda: _nodes(device, "同意"), WAIT)[0]
    assert "用户协议与隐私政策" in _texts(device)
    assert agree.get("resource-id") == f"{pkg}:id/btn_agree"
    # agreeing needs the "I have read" box ticked first
    box = _nodes(device, "我已阅读并同意《用户协议》和《隐私政策》")[0]
    assert box.get("checkable") == "true" and box.get("checked") == "false"
    x, y = _center(box)
    device.shell(f"input tap {x} {y}")
    wait_for(lambda: _nodes(device, "我已阅读并同意《用户协议》和《隐私政策》")[0].get("checked")
             == "true", WAIT)
    x, y = _center(agree)
    device.shell(f"input tap {x} {y}")
    # consented, the app asks for location: the prompt is the focused window, hiding the
    # screen under it from the dump until it is answered
    _deny_prompt(device)
    wait_for(lambda: "今日推荐" in _texts(device) and "同意" not in _texts(device), WAIT)
    # A cold start reads the stored decision: no dialog.
    _restart(device, pkg)
    wait_for(lambda: "consent remembered" in device.shell("logcat -d"), WAIT)
    # the log line comes before the window is drawn, and the app asks for location
    # again (denied before): answer it, then wait for the screen itself
    _deny_prompt(device)
    wait_for(lambda: "今日推荐" in _texts(device), WAIT)
    assert "同意" not in _texts(device)
    # pm clear wipes it: the dialog is back.
    device.shell(f"am force-stop {pkg}")
    assert "Success" in device.shell(f"pm clear {pkg}")
    _restart(device, pkg)
    wait_for(lambda: _nodes(device, "同意"), WAIT)


def test_guarded_call_needs_the_runtime_permission(device: adbutils.AdbDevice) -> None:
    pkg = "com.example.camera"
    device.shell(f"pm revoke {pkg} android.permission.CAMERA")
    _restart(device, pkg)
    wait_for(lambda: "microphone: " in device.shell("logcat -d"), WAIT)
    log = device.shell("logcat -d")
    assert re.search(r"camera: java\.lang\.SecurityException.*android\.permission\.CAMERA", log)
    device.shell(f"pm grant {pkg} android.permission.CAMERA")
    _restart(device, pkg)
    wait_for(lambda: "microphone: " in device.shell("logcat -d"), WAIT)
    assert "camera: java.lang.SecurityException" not in device.shell("logcat -d")
    device.shell(f"am force-stop {pkg}")
