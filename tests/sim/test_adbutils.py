"""adbutils' own API and parsers against the simulated device."""

from __future__ import annotations

import io
import os
import xml.dom.minidom
from pathlib import Path

import adbutils
import pytest
from tests_sim_helpers import wait_for

from harness.sim import SimCluster

STUB = "com.example.stub"


@pytest.fixture
def device(cluster: SimCluster, serial: str) -> adbutils.AdbDevice:
    return cluster.client().device(serial)


def test_shell_and_shell2(device: adbutils.AdbDevice) -> None:
    assert device.shell("echo hello") == "hello"
    result = device.shell2("echo a && false")
    assert (result.returncode, result.output) == (1, "a\n")
    result = device.shell2("echo out; echo err 1>&2; exit 9", v2=True)
    assert (result.returncode, result.stdout, result.stderr) == (9, "out\n", "err\n")


def test_getprop_and_features(device: adbutils.AdbDevice) -> None:
    assert device.getprop("ro.build.version.sdk") == "33"
    assert device.getprop("ro.harness.frida") == "local"
    assert device.prop.model == "SimPhone"
    assert {"shell_v2", "cmd", "stat_v2"} <= set(device.get_features().split(","))


def test_window_size(device: adbutils.AdbDevice) -> None:
    size = device.window_size()
    assert (size.width, size.height) == (1080, 2340)


def test_install_list_start_stop_clear(device: adbutils.AdbDevice, stub_apk: Path) -> None:
    device.install(str(stub_apk), nolaunch=True, silent=True)
    assert STUB in device.list_packages()
    info = device.app_info(STUB)
    assert info is not None and info.version_name == "1.2" and info.version_code == 12

    device.app_start(STUB, ".MainActivity")
    current = wait_for(lambda: (c := device.app_current()).package == STUB and c)
    assert current.activity == f"{STUB}.MainActivity"
    pid = int(device.shell(f"pidof {STUB}"))
    assert f" {pid} " in device.shell("ps -A")

    # The app's data folder survives a restart but not pm clear.
    device.shell(f"echo keep > /data/data/{STUB}/files/x")
    device.app_stop(STUB)
    assert device.shell2(f"pidof {STUB}").returncode == 1
    assert device.shell(f"cat /data/data/{STUB}/files/x") == "keep"
    device.app_start(STUB)  # monkey
    wait_for(lambda: device.shell2(f"pidof {STUB}").returncode == 0)
    device.app_clear(STUB)
    assert device.shell2(f"pidof {STUB}").returncode == 1
    assert device.shell2(f"ls /data/data/{STUB}/files/x").returncode == 1


def test_dump_hierarchy_and_click(device: adbutils.AdbDevice, stub_apk: Path) -> None:
    device.install(str(stub_apk), nolaunch=True, silent=True)
    device.app_start(STUB, ".MainActivity")
    xml_text = wait_for(lambda: "Agree" in (x := device.dump_hierarchy()) and x)
    doc = xml.dom.minidom.parseString(xml_text.encode())
    agree = next(n for n in doc.getElementsByTagName("node")
                 if n.getAttribute("resource-id") == f"{STUB}:id/agree")
    left, top, right, bottom = (int(v) for v in agree.getAttribute("bounds")
                                .replace("][", ",").strip("[]").split(","))
    device.click((left + right) // 2, (top + bottom) // 2)
    wait_for(lambda: "Agree" not in device.dump_hierarchy())
    assert "click 12" in device.shell("logcat -d")
    # The consent survives a cold start: the app re-reads its saved choice.
    device.app_stop(STUB)
    device.app_start(STUB, ".MainActivity")
    wait_for(lambda: "Welcome" in device.dump_hierarchy())
    assert "Agree" not in device.dump_hierarchy()


def test_sync_push_pull(device: adbutils.AdbDevice, tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)
    device.sync.push(io.BytesIO(data), "/data/local/tmp/blob.bin")
    assert device.sync.stat("/data/local/tmp/blob.bin").size == len(data)
    assert device.sync.read_bytes("/data/local/tmp/blob.bin") == data
    device.sync.pull("/data/local/tmp/blob.bin", tmp_path / "blob.bin")
    assert (tmp_path / "blob.bin").read_bytes() == data
    names = [e.path for e in device.sync.list("/data/local/tmp")]
    assert "blob.bin" in names
    device.remove("/data/local/tmp/blob.bin")
    assert device.sync.stat("/data/local/tmp/blob.bin").size == 0


def test_screenshot_png(device: adbutils.AdbDevice) -> None:
    png = device.shell("screencap -p", encoding=None)
    assert png.startswith(b"\x89PNG") and png.endswith(b"IEND\xaeB`\x82")


def test_keyevent_home_shows_launcher(device: adbutils.AdbDevice, stub_apk: Path) -> None:
    device.install(str(stub_apk), nolaunch=True, silent=True)
    device.app_start(STUB, ".MainActivity")
    wait_for(lambda: device.app_current().package == STUB)
    device.keyevent("HOME")
    assert device.app_current().package == "com.android.launcher3"
    assert device.shell2(f"pidof {STUB}").returncode == 0  # still running, in background

