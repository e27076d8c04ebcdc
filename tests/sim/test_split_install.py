"""Split APKs on the simulated device, installed by the real adb CLI (``install-multiple``:
``exec:cmd package install-create / install-write … - / install-commit``) and by hand
with ``pm install-*`` — with Android's outputs and refusals."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from tests_sim_helpers import STUB_PACKAGE, sim_package

from harness.sim import SimCluster


def split_apk(split: str = "config.x86_64", package: str = STUB_PACKAGE,
              version_code: int = 12, files: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", json.dumps(
            {"format": 1, "package": package, "split": split, "version_code": version_code}))
        for name, text in (files or {"lib/x86_64/libstub.txt": "native code"}).items():
            archive.writestr(name, text)
    return buf.getvalue()


@pytest.fixture
def apks(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "base.apk"
    base.write_bytes(sim_package(split_required=True))
    split = tmp_path / "split_config.x86_64.apk"
    split.write_bytes(split_apk())
    return base, split


def _shell(cluster: SimCluster, serial: str, command: str) -> tuple[int, str, str]:
    result = cluster.adb("-s", serial, "shell", command)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_adb_install_multiple(cluster: SimCluster, serial: str,
                              apks: tuple[Path, Path]) -> None:
    base, split = apks
    result = cluster.adb("-s", serial, "install-multiple", str(base), str(split))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.decode().strip().endswith("Success")
    code, out, _ = _shell(cluster, serial, f"pm path {STUB_PACKAGE}")
    assert code == 0
    assert out.splitlines() == [f"package:/data/app/{STUB_PACKAGE}/base.apk",
                                f"package:/data/app/{STUB_PACKAGE}/split_config.x86_64.apk"]
    # The split's files are the app's, beside the base's; its APK is kept as Android names it.
    code, out, _ = _shell(cluster, serial,
                          f"cat /data/app/{STUB_PACKAGE}/lib/x86_64/libstub.txt")
    assert (code, out) == (0, "native code")
    pulled = cluster.adb("-s", serial, "exec-out",
                         f"cat /data/app/{STUB_PACKAGE}/split_config.x86_64.apk").stdout
    assert pulled == split.read_bytes()
    dump = _shell(cluster, serial, f"dumpsys package {STUB_PACKAGE}")[1]
    assert "splits=[base, config.x86_64]" in dump
    # A full install of the base alone replaces the splits — here refused: it needs one.
    result = cluster.adb("-s", serial, "install", str(base))
    assert result.returncode != 0
    assert (b"Failure [INSTALL_FAILED_MISSING_SPLIT: Missing split for com.example.stub]"
            in result.stdout + result.stderr)


def test_missing_split_is_refused(cluster: SimCluster, serial: str,
                                  apks: tuple[Path, Path], tmp_path: Path) -> None:
    base, split = apks
    other = tmp_path / "base2.apk"
    other.write_bytes(sim_package())
    again = tmp_path / "again.apk"
    again.write_bytes(split.read_bytes())
    cases = [
        ([base], "INSTALL_FAILED_MISSING_SPLIT: Missing split for com.example.stub"),
        ([split], "INSTALL_FAILED_INVALID_APK: Full install must include a base package"),
        # (the same file twice is written under one name: one split, as on Android)
        ([base, split, again], "Split config.x86_64 was defined multiple times"),
        ([base, other], "Split null was defined multiple times"),
    ]
    for files, message in cases:
        result = cluster.adb("-s", serial, "install-multiple", *map(str, files))
        output = (result.stdout + result.stderr).decode()
        assert result.returncode != 0, output
        assert message in output, output
    wrong = tmp_path / "split_other.apk"
    wrong.write_bytes(split_apk(package="com.example.other"))
    result = cluster.adb("-s", serial, "install-multiple", str(base), str(wrong))
    assert b"Inconsistent package com.example.other in" in result.stdout + result.stderr
    old = tmp_path / "split_old.apk"
    old.write_bytes(split_apk(version_code=11))
    result = cluster.adb("-s", serial, "install-multiple", str(base), str(old))
    assert b"Version code 11 inconsistent with 12" in result.stdout + result.stderr
    clash = tmp_path / "split_clash.apk"
    clash.write_bytes(split_apk(files={"classes/readme.txt": "again"}))
    result = cluster.adb("-s", serial, "install-multiple", str(base), str(clash))
    assert b"both contain classes/readme.txt" in result.stdout + result.stderr
    code, out, _ = _shell(cluster, serial, "pm list packages -3")
    assert STUB_PACKAGE not in out  # nothing half-installed


def test_pm_session_commands(cluster: SimCluster, serial: str,
                             apks: tuple[Path, Path]) -> None:
    base, split = apks
    for f in (base, split):
        assert cluster.adb("-s", serial, "push", str(f), f"/data/local/tmp/{f.name}"
                           ).returncode == 0
    code, out, _ = _shell(cluster, serial, "pm install-create -r -t -S 1234")
    assert code == 0 and out.startswith("Success: created install session [")
    sid = int(out.strip().rsplit("[", 1)[1].rstrip("]"))
    size = base.stat().st_size
    code, out, _ = _shell(cluster, serial,
                          f"pm install-write -S {size} {sid} 0_base /data/local/tmp/base.apk")
    assert (code, out) == (0, f"Success: streamed {size} bytes\n")
    # Streamed on stdin (as the adb CLI streams it over exec:, which `adb exec-in` would
    # close before the answer: shell v2 sends the bytes, then close-stdin, then waits).
    result = cluster.adb("-s", serial, "shell", f"cmd package install-write -S "
                         f"{split.stat().st_size} {sid} 1_split -", input=split.read_bytes())
    assert (result.returncode, result.stdout) == (
        0, f"Success: streamed {split.stat().st_size} bytes\n".encode())
    code, out, _ = _shell(cluster, serial, f"pm install-commit {sid}")
    assert (code, out) == (0, "Success\n")
    assert f"package:/data/app/{STUB_PACKAGE}/split_config.x86_64.apk" in _shell(
        cluster, serial, f"pm path {STUB_PACKAGE}")[1]
    # A session is used once; unknown ids are Android's SecurityException.
    code, _, err = _shell(cluster, serial, f"pm install-commit {sid}")
    assert code == 255
    assert f"java.lang.SecurityException: Caller has no access to session {sid}" in err
    code, _, err = _shell(cluster, serial, "pm install-write -S 3 nope x -")
    assert code == 255 and 'For input string: "nope"' in err
    # Abandoned: gone, nothing installed.
    out = _shell(cluster, serial, "pm install-create")[1]
    sid = int(out.strip().rsplit("[", 1)[1].rstrip("]"))
    assert _shell(cluster, serial, f"pm install-abandon {sid}")[:2] == (0, "Success\n")
    assert _shell(cluster, serial, f"pm install-commit {sid}")[0] == 255
    # Nothing written: nothing staged.
    out = _shell(cluster, serial, "pm install-create")[1]
    sid = int(out.strip().rsplit("[", 1)[1].rstrip("]"))
    code, out, _ = _shell(cluster, serial, f"pm install-commit {sid}")
    assert (code, out) == (1, "Failure [INSTALL_FAILED_INVALID_APK: No packages staged]\n")
    code, _, err = _shell(cluster, serial, f"pm install-write {sid} x -")
    assert code == 255  # that session is gone too
    _shell(cluster, serial, "rm /data/local/tmp/base.apk /data/local/tmp/split_config.x86_64.apk")
