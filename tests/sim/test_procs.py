"""App processes: the launch contract, am/monkey, force-stop, death."""

from __future__ import annotations

import json
import os
from pathlib import Path

import adbutils
import pytest
from tests_sim_helpers import wait_for

from harness.sim import SimCluster

STUB = "com.example.stub"


@pytest.fixture
def device(cluster: SimCluster, serial: str, stub_apk: Path) -> adbutils.AdbDevice:
    dev = cluster.client().device(serial)
    dev.install(str(stub_apk), nolaunch=True, silent=True)
    dev.shell("logcat -c")
    return dev


def _log(device: adbutils.AdbDevice) -> str:
    return device.shell("logcat -d")


def test_am_start_debug_wait_and_env(device: adbutils.AdbDevice) -> None:
    result = device.shell2(f"am start -D -W -n {STUB}/.MainActivity", v2=True)
    assert result.returncode == 0
    assert "Status: ok" in result.stdout and "LaunchState: COLD" in result.stdout
    line = wait_for(lambda: next((x for x in _log(device).splitlines()
                                  if "StubApp : started" in x), None))
    assert f"activity={STUB}.MainActivity" in line and "wait=1" in line
    # SIM_DEVICE names the identity file; it holds what getprop/settings report.
    identity = json.loads(Path(line.rsplit("device=", 1)[1]).read_text())
    assert identity["serial"] == device.getprop("ro.serialno")
    assert identity["android_id"] == device.shell("settings get secure android_id")
    assert len(identity["imei"]) == 15 and identity["sdk_int"] == 33
    # The JVM's stdout reaches logcat under the app's pid.
    pid = device.shell(f"pidof {STUB}")
    assert f"{pid} I System.out: stdout line from stub" in " ".join(_log(device).split(" "))


def test_grants_at_launch_and_install_g(device: adbutils.AdbDevice, stub_apk: Path) -> None:
    device.sync.push(stub_apk, "/data/local/tmp/s.apk")
    assert "Success" in device.shell("pm install -r -t -g /data/local/tmp/s.apk")
    device.shell(f"am start -n {STUB}/.MainActivity")
    line = wait_for(lambda: next((x for x in _log(device).splitlines()
                                  if "StubApp : started" in x), None))
    assert "grants=android.permission.ACCESS_FINE_LOCATION,android.permission.CAMERA" in line


def test_force_stop_and_death(cluster: SimCluster, device: adbutils.AdbDevice) -> None:
    device.app_start(STUB, ".MainActivity")
    pid = int(wait_for(lambda: device.shell2(f"pidof {STUB}").output.strip()))
    device.app_stop(STUB)
    assert device.shell2(f"pidof {STUB}").returncode == 1
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    # An app that exits by itself vanishes from ps and from the screen.
    device.app_start(STUB, ".MainActivity")
    wait_for(lambda: "Disagree" in device.dump_hierarchy())
    device.click(540, 1360)  # Disagree: the stub exits
    wait_for(lambda: device.shell2(f"pidof {STUB}").returncode == 1)
    assert STUB not in device.shell("ps -A")
    assert device.app_current().package == "com.android.launcher3"
    assert "has died (exit 0)" in _log(device)


def test_start_unknown_package(device: adbutils.AdbDevice) -> None:
    result = device.shell2("am start -n com.example.nothere/.Main", v2=True)
    assert result.returncode == 1 and "does not exist" in result.stderr
    result = device.shell2("monkey -p com.example.nothere -c "
                           "android.intent.category.LAUNCHER 1", v2=True)
    assert result.returncode != 0
    assert device.shell2("am start -n 'x;rm -rf /'/.A", v2=True).returncode == 1


def test_launcher_icon_starts_app(device: adbutils.AdbDevice) -> None:
    xml = device.dump_hierarchy()
    assert 'text="Stub"' in xml
    device.click(135, 450)  # first icon of the launcher grid
    wait_for(lambda: device.app_current().package == STUB)


def test_resolve_activity(device: adbutils.AdbDevice) -> None:
    out = device.shell(f"cmd package resolve-activity --brief {STUB}")
    assert out.splitlines()[-1] == f"{STUB}/{STUB}.MainActivity"
