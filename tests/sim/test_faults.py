"""Faults on demand through the control channel, as the clients see them."""

from __future__ import annotations

import subprocess
import threading
import xml.dom.minidom
from pathlib import Path
from xml.parsers.expat import ExpatError

import adbutils
import pytest
from tests_sim_helpers import wait_for

from harness.sim import SimCluster
from harness.sim.errors import SimulatorError

STUB = "com.example.stub"


@pytest.fixture
def device(cluster: SimCluster, serial: str) -> adbutils.AdbDevice:
    return cluster.client().device(serial)


def test_drop_connection_mid_output(cluster: SimCluster, serial: str) -> None:
    proc = subprocess.Popen([cluster.adb_path, "-P", str(cluster.adb_port), "-s", serial,
                             "shell", "echo started; sleep 60; echo never"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"started\n"
        assert cluster.control(serial).drop_connection() >= 1
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 255 and b"never" not in out
    # The other device kept serving, and the dropped one comes back by itself.
    other = cluster.client().device(cluster.serials[1])
    assert other.shell2("echo ok").output == "ok\n"
    cluster.connect(serial)
    assert cluster.client().device(serial).shell2("echo back").output == "back\n"


def test_drop_connection_adbutils_v2(cluster: SimCluster, device: adbutils.AdbDevice) -> None:
    control = cluster.control(device.serial)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            device.shell2("sleep 60", v2=True)
        except (EOFError, adbutils.AdbError) as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    wait_for(lambda: control.status()["streams"] >= 1)
    control.drop_connection()
    worker.join(60)
    assert not worker.is_alive()
    assert errors and isinstance(errors[0], (EOFError, adbutils.AdbError))


def test_hang_next_stream(cluster: SimCluster, device: adbutils.AdbDevice) -> None:
    cluster.control(device.serial).hang_next_stream()
    with pytest.raises(adbutils.AdbTimeout):
        device.shell("echo hi", timeout=1)
    assert device.shell("echo hi") == "hi"


def test_kill_app(cluster: SimCluster, device: adbutils.AdbDevice, stub_apk: Path) -> None:
    device.install(str(stub_apk), nolaunch=True, silent=True)
    device.app_start(STUB, ".MainActivity")
    wait_for(lambda: "Agree" in device.dump_hierarchy())
    pid = cluster.control(device.serial).kill_app(STUB)
    assert device.shell2(f"pidof {STUB}").returncode == 1
    assert "Agree" not in device.dump_hierarchy()
    assert f"Process {STUB} (pid {pid}) has died (signal 9)" in device.shell("logcat -d")
    with pytest.raises(SimulatorError, match="not running"):
        cluster.control(device.serial).kill_app(STUB)


def test_malformed_dump_once(cluster: SimCluster, device: adbutils.AdbDevice) -> None:
    cluster.control(device.serial).malform_next_dump()
    bad = device.dump_hierarchy()
    with pytest.raises(ExpatError):
        xml.dom.minidom.parseString(bad.encode())
    xml.dom.minidom.parseString(device.dump_hierarchy().encode())


def test_slow_ui_dump(cluster: SimCluster, device: adbutils.AdbDevice) -> None:
    cluster.control(device.serial).delay_ui(5000)
    with pytest.raises(adbutils.AdbTimeout):
        device.shell("uiautomator dump /sdcard/slow.xml", timeout=1)
    cluster.control(device.serial).delay_ui(0)
    assert device.dump_hierarchy().startswith("<?xml")


def test_suppress_dialogs(cluster: SimCluster, device: adbutils.AdbDevice,
                          stub_apk: Path) -> None:
    cluster.control(device.serial).suppress_dialogs()
    device.install(str(stub_apk), nolaunch=True, silent=True)
    device.app_start(STUB, ".MainActivity")
    wait_for(lambda: "Welcome" in device.dump_hierarchy())
    assert "Agree" not in device.dump_hierarchy()


def test_control_rejects_unknown_device(cluster: SimCluster) -> None:
    with pytest.raises(SimulatorError):
        cluster.control("127.0.0.1:1")
