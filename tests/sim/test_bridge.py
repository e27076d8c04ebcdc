"""The app bridge: windows, taps, keys, text, permission dialog, grants, logs."""

from __future__ import annotations

from pathlib import Path

import adbutils
import pytest
from tests_sim_helpers import wait_for

from harness.sim import SimCluster

STUB = "com.example.stub"
FINE = "android.permission.ACCESS_FINE_LOCATION"
CAMERA = "android.permission.CAMERA"
ALLOW = "com.android.permissioncontroller:id/permission_allow_button"


@pytest.fixture
def device(cluster: SimCluster, serial: str, stub_apk: Path) -> adbutils.AdbDevice:
    dev = cluster.client().device(serial)
    dev.install(str(stub_apk), nolaunch=True, silent=True)
    dev.shell("logcat -c")
    dev.app_start(STUB, ".MainActivity")
    wait_for(lambda: "Agree" in dev.dump_hierarchy())
    return dev


def _granted(device: adbutils.AdbDevice) -> dict[str, bool]:
    out = device.shell(f"dumpsys package {STUB}")
    return {perm: f"{perm}: granted=true" in out for perm in (FINE, CAMERA)}


def test_dialog_is_modal_and_topmost(device: adbutils.AdbDevice) -> None:
    device.click(540, 360)  # "Locate" lies under the dialog's scrim: nothing happens
    xml = device.dump_hierarchy()
    assert "Agree" in xml and "Welcome" not in xml  # only the focused window is dumped
    device.click(540, 1160)
    wait_for(lambda: "Agree" not in device.dump_hierarchy())
    log = device.shell("logcat -d")
    assert "click 12" in log and "click 3" not in log


def test_permission_dialog_allow_and_deny(device: adbutils.AdbDevice) -> None:
    device.click(540, 1160)  # agree
    wait_for(lambda: "Agree" not in device.dump_hierarchy())
    device.click(540, 360)  # Locate -> perm_request for location + camera
    xml = wait_for(lambda: ALLOW in (x := device.dump_hierarchy()) and x)
    assert "location" in xml and 'package="com.android.permissioncontroller"' in xml
    assert device.app_current().package == "com.android.permissioncontroller"
    device.click(540, 1230)  # Allow (location)
    xml = wait_for(lambda: "take pictures" in (x := device.dump_hierarchy()) and x)
    device.keyevent("BACK")  # BACK on the dialog denies (camera)
    wait_for(lambda: ALLOW not in device.dump_hierarchy())
    assert _granted(device) == {FINE: True, CAMERA: False}
    log = wait_for(lambda: "perm_result" in (x := device.shell("logcat -d")) and x)
    assert f'"{FINE}": true' in log and f'"{CAMERA}": false' in log


def test_grant_revoke_notify_app(device: adbutils.AdbDevice) -> None:
    assert device.shell2(f"pm grant {STUB} {CAMERA}").returncode == 0
    assert _granted(device)[CAMERA]
    wait_for(lambda: f'"granted": ["{CAMERA}"]' in device.shell("logcat -d"))
    assert device.shell2(f"pm revoke {STUB} {CAMERA}").returncode == 0
    assert not _granted(device)[CAMERA]
    bad = device.shell2(f"pm grant {STUB} android.permission.READ_SMS", v2=True)
    assert bad.returncode == 255 and "has not requested permission" in bad.stderr
    # pm clear resets runtime permissions with the data.
    device.shell(f"pm grant {STUB} {CAMERA}")
    device.app_clear(STUB)
    assert _granted(device) == {FINE: False, CAMERA: False}


def test_keys_and_text_reach_app(device: adbutils.AdbDevice) -> None:
    device.send_keys("hello world")
    device.keyevent("4")
    log = wait_for(lambda: "key BACK" in (x := device.shell("logcat -d")) and x)
    assert '"text": "hello world"' in log


def test_app_texts_are_escaped(device: adbutils.AdbDevice) -> None:
    xml = device.dump_hierarchy()
    assert 'text="Privacy Policy &lt;&amp;&gt; &quot;terms&quot;"' in xml or \
        "text='Privacy Policy &lt;&amp;&gt; \"terms\"'" in xml
