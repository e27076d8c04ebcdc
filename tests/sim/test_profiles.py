"""Device profiles over real adb: the ``google`` profile is a Google Play image (user build,
Google's permission controller with the Android 12+ prompt); ``aosp`` stays an AOSP
emulator image (the session cluster of conftest.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import adbutils
import pytest
from tests_sim_helpers import STUB_PACKAGE, sim_package, wait_for

from harness.sim import SimCluster

STUB_LAUNCHER = f"{Path(__file__).with_name('stubapp.py')}:launch_argv"
FINE = "android.permission.ACCESS_FINE_LOCATION"
COARSE = "android.permission.ACCESS_COARSE_LOCATION"
CAMERA = "android.permission.CAMERA"
IDS = "com.android.permissioncontroller:id/"
GOOGLE_CONTROLLER = "com.google.android.permissioncontroller"


@pytest.fixture(scope="module")
def google() -> Iterator[SimCluster]:
    with SimCluster(count=1, preinstall=False, launcher=STUB_LAUNCHER,
                    profile="google") as running:
        yield running


def _device(cluster: SimCluster) -> adbutils.AdbDevice:
    return cluster.client().device(cluster.serials[0])


@pytest.fixture
def gdev(google: SimCluster) -> Iterator[adbutils.AdbDevice]:
    dev = _device(google)
    yield dev
    dev.shell2(f"pm uninstall {STUB_PACKAGE}")
    dev.shell2("logcat -c")


def _install(cluster: SimCluster, tmp_path: Path, **manifest: object) -> None:
    apk = tmp_path / "stub.apk"
    apk.write_bytes(sim_package(**manifest))
    result = cluster.adb("-s", cluster.serials[0], "install", str(apk))
    assert b"Success" in result.stdout, result.stdout + result.stderr


def _started_line(dev: adbutils.AdbDevice) -> str:
    """The stub app's own "started … wait=N" log line, once it ran."""
    def line() -> str | None:
        for text in dev.shell("logcat -d").splitlines():
            if "StubApp" in text and "started activity=" in text:
                return text
        return None
    return wait_for(line)


def test_google_props_are_a_user_build(google: SimCluster, cluster: SimCluster) -> None:
    props = _device(google).shell("getprop")
    for line in ("[ro.debuggable]: [0]", "[ro.secure]: [1]", "[ro.build.type]: [user]",
                 "[ro.build.tags]: [release-keys]", "[ro.product.brand]: [google]",
                 "[ro.harness.sim.profile]: [google]"):
        assert line in props
    fingerprint = _device(google).shell("getprop ro.build.fingerprint").strip()
    assert fingerprint.startswith("google/") and fingerprint.endswith(":user/release-keys")
    aosp = cluster.client().device(cluster.serials[0])
    assert aosp.shell("getprop ro.debuggable").strip() == "1"
    assert aosp.shell("getprop ro.build.type").strip() == "userdebug"


def test_google_image_ships_googles_permission_controller(gdev: adbutils.AdbDevice) -> None:
    packages = gdev.shell("pm list packages").split()
    assert f"package:{GOOGLE_CONTROLLER}" in packages
    assert "package:com.android.permissioncontroller" not in packages
    assert "GooglePermissionController.apk" in gdev.shell(f"pm path {GOOGLE_CONTROLLER}")


def test_am_start_d_of_a_non_debuggable_app_is_ignored_as_android_does(
        google: SimCluster, gdev: adbutils.AdbDevice, tmp_path: Path) -> None:
    _install(google, tmp_path, debuggable=False)
    assert "DEBUGGABLE" not in gdev.shell(f"dumpsys package {STUB_PACKAGE}")
    result = gdev.shell2(f"am start -D -n {STUB_PACKAGE}/.MainActivity")
    # Android 12+ does not fail the start: it runs the app without waiting, and only
    # system_server's log says why (ActivityTaskSupervisor.resolveActivity).
    assert result.returncode == 0
    assert "Error" not in result.output and "Starting: Intent" in result.output
    assert "wait=0" in _started_line(gdev)
    log = gdev.shell("logcat -d")
    assert (f"W ActivityTaskManager: Ignore debugging for non-debuggable app: {STUB_PACKAGE}"
            in log)


def test_am_start_d_of_a_debuggable_app_waits_on_google(
        google: SimCluster, gdev: adbutils.AdbDevice, tmp_path: Path) -> None:
    _install(google, tmp_path)  # sim apps are debuggable unless they say otherwise
    assert "flags=[ DEBUGGABLE " in gdev.shell(f"dumpsys package {STUB_PACKAGE}")
    assert gdev.shell2(f"am start -D -n {STUB_PACKAGE}/.MainActivity").returncode == 0
    assert "wait=1" in _started_line(gdev)
    assert "Ignore debugging" not in gdev.shell("logcat -d")


def test_aosp_userdebug_debugs_a_non_debuggable_app(cluster: SimCluster, tmp_path: Path) -> None:
    dev = cluster.client().device(cluster.serials[0])
    apk = tmp_path / "stub.apk"
    apk.write_bytes(sim_package(debuggable=False))
    dev.shell2("logcat -c")
    try:
        dev.install(str(apk))
        assert dev.shell2(f"am start -D -n {STUB_PACKAGE}/.MainActivity").returncode == 0
        assert "wait=1" in _started_line(dev)  # Build.IS_DEBUGGABLE: every app may wait
    finally:
        dev.shell2(f"pm uninstall {STUB_PACKAGE}")


def _dump(dev: adbutils.AdbDevice) -> list[ET.Element]:
    return list(ET.fromstring(dev.dump_hierarchy()).iter("node"))


def _by_id(dev: adbutils.AdbDevice, rid: str) -> list[ET.Element]:
    return [n for n in _dump(dev) if n.get("resource-id") == rid]


def _tap(dev: adbutils.AdbDevice, node: ET.Element) -> None:
    left, top, right, bottom = (int(v) for v in
                                node.get("bounds", "").replace("][", ",").strip("[]").split(","))
    dev.shell(f"input tap {(left + right) // 2} {(top + bottom) // 2}")


def test_google_prompt_buttons_accuracy_and_approximate_grant(
        google: SimCluster, gdev: adbutils.AdbDevice, tmp_path: Path) -> None:
    _install(google, tmp_path, permissions=[FINE, COARSE, CAMERA])
    gdev.shell(f"am start -n {STUB_PACKAGE}/.MainActivity")
    _tap(gdev, wait_for(lambda: _by_id(gdev, f"{STUB_PACKAGE}:id/agree"))[0])
    _tap(gdev, wait_for(lambda: _by_id(gdev, f"{STUB_PACKAGE}:id/locate"))[0])
    # the location group's prompt: Google's package, the module's ids, Android 12+ buttons
    fine = wait_for(lambda: _by_id(gdev, IDS + "permission_location_accuracy_radio_fine"))[0]
    prompt = [n for n in _dump(gdev) if n.get("resource-id", "").startswith(IDS)]
    assert {n.get("package") for n in prompt} == {GOOGLE_CONTROLLER}
    labels = {n.get("resource-id", "").removeprefix(IDS): n.get("text") for n in prompt}
    assert labels["permission_allow_foreground_only_button"] == "While using the app"
    assert labels["permission_allow_one_time_button"] == "Only this time"
    assert labels["permission_deny_button"] == "Don't allow"
    assert "permission_allow_button" not in labels
    assert fine.get("class") == "android.widget.RadioButton" and fine.get("checked") == "true"
    focus = gdev.shell("dumpsys window windows")
    assert f"mCurrentFocus=Window{{7f3a2c1 u0 {GOOGLE_CONTROLLER}/" in focus
    _tap(gdev, _by_id(gdev, IDS + "permission_location_accuracy_radio_coarse")[0])
    wait_for(lambda: _by_id(gdev, IDS + "permission_location_accuracy_radio_coarse")[0]
             .get("checked") == "true")
    _tap(gdev, _by_id(gdev, IDS + "permission_allow_foreground_only_button")[0])
    # then the camera's prompt: no accuracy choice; "Only this time" grants it
    one_time = wait_for(lambda: not _by_id(gdev, IDS + "permission_location_accuracy_radio_fine")
                        and _by_id(gdev, IDS + "permission_allow_one_time_button"))[0]
    _tap(gdev, one_time)
    wait_for(lambda: not _by_id(gdev, IDS + "permission_deny_button"))
    dump = gdev.shell(f"dumpsys package {STUB_PACKAGE}")
    assert f"{COARSE}: granted=true" in dump  # Approximate: coarse location only
    assert f"{FINE}: granted=false" in dump
    assert f"{CAMERA}: granted=true" in dump
