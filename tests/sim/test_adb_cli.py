"""The real adb CLI against the simulated device (private adb server port)."""

from __future__ import annotations

import os
import xml.dom.minidom
from pathlib import Path

from harness.sim import SimCluster


def test_devices_lists_model(cluster: SimCluster) -> None:
    out = cluster.adb("devices", "-l").stdout.decode()
    for serial in cluster.serials:
        line = next(line for line in out.splitlines() if line.startswith(serial))
        assert " device " in line
        assert "model:SimPhone" in line and "product:sim" in line


def test_shell_v2_exit_codes(cluster: SimCluster, serial: str) -> None:
    result = cluster.adb("-s", serial, "shell", "echo out; echo err >&2; exit 7")
    assert result.returncode == 7
    assert result.stdout == b"out\n"
    assert result.stderr == b"err\n"
    assert cluster.adb("-s", serial, "shell", "true && false || exit 5").returncode == 5
    assert cluster.adb("-s", serial, "shell", "nosuchcmd").returncode == 127


def test_shell_v1_has_no_exit_code(cluster: SimCluster, serial: str) -> None:
    # -x forces the legacy protocol: output merged, exit status lost (as on real devices).
    result = cluster.adb("-s", serial, "shell", "-x", "echo out; echo err >&2; exit 7")
    assert result.returncode == 0
    assert result.stdout == b"out\nerr\n"


def test_exec_out_streams_raw_bytes(cluster: SimCluster, serial: str) -> None:
    result = cluster.adb("-s", serial, "exec-out", "screencap -p")
    assert result.returncode == 0
    assert result.stdout.startswith(b"\x89PNG\r\n\x1a\n")


def test_push_pull_20mb_identical(cluster: SimCluster, serial: str, tmp_path: Path) -> None:
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(20 * 1024 * 1024 + 12345))
    assert cluster.adb("-s", serial, "push", str(src), "/sdcard/new/dir/big.bin").returncode == 0
    size = cluster.adb("-s", serial, "shell", "ls -l /sdcard/new/dir/big.bin").stdout.decode()
    assert str(src.stat().st_size) in size
    dst = tmp_path / "back.bin"
    assert cluster.adb("-s", serial, "pull", "/sdcard/new/dir/big.bin", str(dst)).returncode == 0
    assert dst.read_bytes() == src.read_bytes()
    cluster.adb("-s", serial, "shell", "rm -r /sdcard/new")


def test_pull_missing_file_fails(cluster: SimCluster, serial: str, tmp_path: Path) -> None:
    result = cluster.adb("-s", serial, "pull", "/sdcard/nope.bin", str(tmp_path / "x"))
    assert result.returncode == 1
    assert not (tmp_path / "x").exists()


def test_install_sim_package(cluster: SimCluster, serial: str, stub_apk: Path) -> None:
    result = cluster.adb("-s", serial, "install", str(stub_apk))
    assert result.returncode == 0, result.stderr
    assert b"Success" in result.stdout
    listing = cluster.adb("-s", serial, "shell", "pm list packages -3").stdout.decode()
    assert listing.splitlines() == ["package:com.example.stub"]


def test_install_rejects_non_sim_package(cluster: SimCluster, serial: str,
                                         tmp_path: Path) -> None:
    bogus = tmp_path / "real.apk"
    bogus.write_bytes(b"PK\x03\x04 this is not a zip at all")
    result = cluster.adb("-s", serial, "install", str(bogus))
    assert result.returncode != 0
    assert b"INSTALL_FAILED_INVALID_APK" in result.stdout + result.stderr


def test_uiautomator_dump_then_pull(cluster: SimCluster, serial: str, tmp_path: Path) -> None:
    result = cluster.adb("-s", serial, "shell", "uiautomator dump /sdcard/ui.xml")
    assert result.returncode == 0
    assert b"/sdcard/ui.xml" in result.stdout
    assert cluster.adb("-s", serial, "pull", "/sdcard/ui.xml", str(tmp_path)).returncode == 0
    doc = xml.dom.minidom.parse(str(tmp_path / "ui.xml"))
    assert doc.documentElement.tagName == "hierarchy"
    packages = {n.getAttribute("package") for n in doc.getElementsByTagName("node")}
    assert packages == {"com.android.launcher3"}


def test_two_devices_have_distinct_identities(cluster: SimCluster) -> None:
    values = set()
    for serial in cluster.serials:
        result = cluster.adb("-s", serial, "shell", "getprop ro.serialno; "
                             "settings get secure android_id")
        assert result.returncode == 0
        values.add(result.stdout)
    assert len(values) == 2
