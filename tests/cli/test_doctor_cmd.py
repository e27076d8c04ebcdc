"""``consent-harness doctor``: the device chosen by the one device rule, never an adb
server left running, never "ok" for what is not there."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e_support import require

REPO = Path(__file__).resolve().parents[2]
STUB_LAUNCHER = f"{REPO / 'tests' / 'sim' / 'stubapp.py'}:launch_argv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def doctor(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("ANDROID_SERIAL", "ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_PORT")}
    return subprocess.run([sys.executable, "-m", "harness.cli.main", "doctor", *args],
                          capture_output=True, text=True, timeout=180, check=False,
                          env={**base, **env}, cwd=REPO)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    try:
        from harness.sim import SimCluster
    except ImportError as exc:
        require("harness.sim", str(exc))
    with SimCluster(count=1, preinstall=False, launcher=STUB_LAUNCHER) as running:
        yield running


def test_no_device_requested_is_information_and_starts_no_server() -> None:
    port = _free_port()
    r = doctor(ANDROID_ADB_SERVER_PORT=str(port))
    assert "info device: the built-in simulated device" in r.stdout, r.stdout
    assert f"none running at 127.0.0.1:{port}" in r.stdout
    assert "ok   device" not in r.stdout
    assert not _listening(port)


def test_unreachable_remote_server_fails() -> None:
    r = doctor("--adb", "127.0.0.2:1", "--device", "emulator-5554")
    assert r.returncode == 3
    assert "FAIL adb server: nothing answers at 127.0.0.2:1" in r.stdout


def test_absent_device_fails_and_the_server_doctor_started_is_stopped() -> None:
    port = _free_port()
    r = doctor("--device", "emulator-5554", ANDROID_ADB_SERVER_PORT=str(port))
    assert r.returncode == 3
    assert "FAIL device:" in r.stdout and "emulator-5554" in r.stdout
    assert f"adb -H 127.0.0.1 -P {port} devices" in r.stdout
    assert not _listening(port)


def test_bad_serial_is_a_failure_with_the_reason() -> None:
    r = doctor("--device", "x;reboot")
    assert r.returncode == 3 and "not a device serial" in r.stdout


def test_simulated_device_by_android_serial(cluster: Any) -> None:
    serial = cluster.serials[0]
    r = doctor("--fix", ANDROID_SERIAL=serial, ADB_SERVER_SOCKET=f"tcp:{cluster.adb_port}")
    assert f"ok   device: {serial}: SimPhone, Android 13" in r.stdout, r.stdout + r.stderr
    assert "ok   frida on device: local" in r.stdout
    if shutil.which("javac") is None:
        require("a JDK", "doctor's JDK check fails without one")
    assert r.returncode == 0, r.stdout
    assert _listening(cluster.adb_port)  # a server doctor did not start is left alone


def test_frida_server_checks_of_a_phone_against_the_simulator(cluster: Any) -> None:
    # The phone path of doctor (the simulator itself needs no frida-server): nothing
    # pushed, no root but a debuggable build — each check fails with its exact command.
    import frida

    from harness.cli.doctor_cmd import _frida_server
    from harness.device import AdbServer, connect

    device = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
    adb = f"adb -P {cluster.adb_port} -s {device.serial}"
    checks = {c.name: c for c in _frida_server(device, "arm64-v8a", adb, fix=True)}
    assert not any(c.ok for c in checks.values())
    server = checks["frida-server"]
    assert "no /data/local/tmp/frida-server" in server.found
    assert server.fix is not None
    assert f"frida-server-{frida.__version__}-android-arm64" in server.fix
    assert f"{adb} push" in server.fix
    assert checks["root"].fix == f"`{adb} root` (AOSP / Google APIs image: adbd restarts as root)"
    # after the push: root, then start it (the exact line; doctor --fix has no root here)
    assert checks["frida-server running"].fix == (
        f"{adb} root && {adb} wait-for-device && {adb} shell /data/local/tmp/frida-server -D"
    )


def test_adb_alone_lists_that_server_and_fails_when_empty(cluster: Any) -> None:
    port = _free_port()
    r = doctor("--adb", f"127.0.0.1:{port}")
    assert r.returncode == 3 and f"FAIL adb server: nothing answers at 127.0.0.1:{port}" in r.stdout
    assert not _listening(port)
    r = doctor("--adb", f"127.0.0.1:{cluster.adb_port}")
    assert r.returncode == 0 or "FAIL jdk" in r.stdout, r.stdout
    listed = f"ok   adb server: 127.0.0.1:{cluster.adb_port}: {cluster.serials[0]} (device)"
    assert listed in r.stdout
