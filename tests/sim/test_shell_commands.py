"""The device shell as adbutils (and people at ``adb shell``) use it, through real adbutils.

Covers what adbutils' own e2etests need of a device: built-ins (pwd, export, exec, which),
text filters (head, tail), system packages in ``pm path``/``dumpsys package``, logcat's
clear/format/filter options and ``log``, the network (ifconfig, ip, svc wifi), and the
``framebuffer:`` and ``reverse:`` services.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import adbutils
import pytest
from tests_sim_helpers import wait_for

from harness.sim import SimCluster

LAUNCHER = "com.android.launcher3"


@pytest.fixture
def device(cluster: SimCluster, serial: str) -> adbutils.AdbDevice:
    return cluster.client().device(serial)


# -- built-ins -----------------------------------------------------------------------
def test_pwd_follows_cd(cluster: SimCluster, device: adbutils.AdbDevice) -> None:
    assert device.shell("pwd", rstrip=False) == "/\n"
    assert cluster.client().shell(device.serial, "pwd").rstrip() == "/"
    assert device.shell("cd /data/local/tmp && pwd") == "/data/local/tmp"
    assert device.shell("cd /no/such/dir; pwd").splitlines()[-1] == "/"  # cwd unchanged


def test_export_and_assignments(device: adbutils.AdbDevice) -> None:
    # export is seen by later commands and by child shells; NAME=v cmd only by cmd.
    assert device.shell("export GREETING=hi; sh -c 'echo $GREETING'") == "hi"
    assert device.shell("ONCE=1 sh -c 'echo in:$ONCE'; echo out:$ONCE") == "in:1\nout:"
    assert device.shell("X=5; echo $X") == "5"
    assert "export GREETING=hi" in device.shell("export GREETING=hi; export -p").splitlines()
    assert device.shell2("export 1BAD=x").returncode == 1


def test_exec_replaces_the_shell(device: adbutils.AdbDevice) -> None:
    result = device.shell2("exec echo first; echo never", v2=True)
    assert (result.returncode, result.stdout) == (0, "first\n")
    assert device.shell2("exec sh -c 'exit 7'", v2=True).returncode == 7


def test_which(device: adbutils.AdbDevice) -> None:
    result = device.shell2("which ls getprop")
    assert (result.returncode, result.output) == (0, "/system/bin/ls\n/system/bin/getprop\n")
    missing = device.shell2("which no-such-tool")
    assert (missing.returncode, missing.output) == (1, "")
    # screenrecord is a binary of the system image (tests/sim/test_shell_jobs.py records).
    assert device.shell2(["which", "screenrecord"]).output == "/system/bin/screenrecord\n"


def test_head_and_tail(device: adbutils.AdbDevice) -> None:
    remote = "/data/local/tmp/lines.txt"
    device.sync.push("".join(f"line{i}\n" for i in range(1, 21)).encode(), remote)
    try:
        assert device.shell(["head", "-n", "3", remote]) == "line1\nline2\nline3"
        assert device.shell(["head", remote]).splitlines() == [f"line{i}" for i in range(1, 11)]
        assert device.shell(["tail", "-n", "2", remote]) == "line19\nline20"
        assert device.shell(["head", "-c", "7", remote]) == "line1\nl"
        assert device.shell(f"cat {remote} | tail -1") == "line20"
        assert device.shell(f"head -2 {remote} | wc -l") == "2"
        missing = device.shell2("head /data/local/tmp/none.txt")
        assert missing.returncode == 1 and "No such file" in missing.output
    finally:
        device.remove(remote)


def test_echo_escapes(device: adbutils.AdbDevice) -> None:
    assert device.shell("echo -e 'a\\tb\\nc'") == "a\tb\nc"
    assert device.shell("echo -n x; echo -ne 'y\\n'") == "xy"


# -- system packages ---------------------------------------------------------------------
def test_app_info_of_the_launcher(device: adbutils.AdbDevice) -> None:
    # Nothing started: the launcher is in front, and it is a system package.
    assert device.app_current().package == LAUNCHER
    assert device.shell(["pm", "path", LAUNCHER]).startswith("package:/system/priv-app/")
    info = device.app_info(LAUNCHER)
    assert info is not None
    assert info.package_name == LAUNCHER
    assert info.version_name == device.getprop("ro.build.version.release")
    assert info.version_code == int(device.getprop("ro.build.version.sdk"))
    assert "SYSTEM" in info.flags
    assert info.path == device.shell(["pm", "path", LAUNCHER]).split(":", 1)[1]
    listed = device.shell("pm list packages -f -s").splitlines()
    assert f"package:{info.path}={LAUNCHER}" in listed


def test_unknown_package_has_no_info(device: adbutils.AdbDevice) -> None:
    result = device.shell2("pm path com.example.not.there")
    assert (result.returncode, result.output) == (1, "")
    assert device.app_info("com.example.not.there") is None


# -- logcat ------------------------------------------------------------------------------
def test_log_and_logcat_formats(device: adbutils.AdbDevice) -> None:
    device.shell(["log", "-p", "w", "-t", "FmtTag", "format check"])
    timed = device.shell("logcat -d -v time")
    assert re.search(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} W/FmtTag +\( *\d+\): format check$",
                     timed, re.M), timed[-500:]
    threadtime = device.shell("logcat -d")  # the default format
    assert re.search(r"^\d\d-\d\d [\d:.]+ +\d+ +\d+ W FmtTag +: format check$", threadtime, re.M)
    assert device.shell("logcat -d -v brief -s FmtTag:W").splitlines()[-1].startswith(
        "W/FmtTag")
    assert device.shell("logcat -d -s FmtTag:E") == ""  # below the filter's level
    assert device.shell("logcat -d -v raw -t 1") == "format check"


@pytest.mark.parametrize("clear", ["logcat -c", "logcat --clear", "logcat -b all -c"])
def test_logcat_clear_forms(device: adbutils.AdbDevice, clear: str) -> None:
    device.shell(["log", "-t", "ClearTag", "before clear"])
    assert "before clear" in device.shell("logcat -d")
    result = device.shell2(clear)
    assert result.returncode == 0 and result.output == ""  # returns at once, prints nothing
    device.shell(["log", "-t", "ClearTag", "after clear"])
    text = device.shell("logcat -d")
    assert "before clear" not in text and "after clear" in text


def test_adbutils_logcat_follows_into_a_file(device: adbutils.AdbDevice,
                                             tmp_path: Path) -> None:
    out = tmp_path / "logcat.txt"
    device.shell(["log", "-t", "FollowTag", "old line"])
    stop = device.logcat(out, clear=True, command="logcat -v time", re_filter="I/FollowTag")
    try:
        device.shell(["log", "-p", "i", "-t", "FollowTag", "new line"])
        device.shell(["log", "-p", "i", "-t", "OtherTag", "filtered out"])
        wait_for(lambda: out.is_file() and "new line" in out.read_text(encoding="utf-8"))
    finally:
        # Returns once the reader sees its next line: the device is never silent for long.
        stop.stop(timeout=60)
    text = out.read_text(encoding="utf-8")
    assert re.search(r"I/FollowTag.*new line", text)
    assert "old line" not in text and "filtered out" not in text


# -- network -----------------------------------------------------------------------------
@pytest.fixture
def wifi_restored(device: adbutils.AdbDevice) -> Iterator[None]:
    yield
    device.switch_airplane(False)
    device.switch_wifi(True)


def test_wlan_ip_and_interfaces(device: adbutils.AdbDevice, wifi_restored: None) -> None:
    assert device.wlan_ip() == "10.0.2.16"
    ifconfig = device.shell("ifconfig wlan0")
    ip_addr = device.shell("ip addr show dev wlan0")
    mac = re.search(r"HWaddr (\S+)", ifconfig)
    assert mac and f"link/ether {mac.group(1)} " in ip_addr
    assert int(mac.group(1).split(":")[0], 16) & 0x01 == 0  # a unicast address
    assert "inet 10.0.2.16/24 brd 10.0.2.255 scope global wlan0" in ip_addr
    assert "inet addr:127.0.0.1" in device.shell("ifconfig lo")
    unknown = device.shell2("ip addr show dev eth9")
    assert unknown.returncode == 1 and 'Device "eth9" does not exist.' in unknown.output


def test_wifi_off_means_no_address(device: adbutils.AdbDevice, wifi_restored: None) -> None:
    device.switch_wifi(False)
    assert device.shell("settings get global wifi_on") == "0"
    with pytest.raises(adbutils.AdbError):
        device.wlan_ip()
    device.switch_wifi(True)
    assert device.wlan_ip() == "10.0.2.16"
    device.switch_airplane(True)
    assert "inet " not in device.shell("ip addr show wlan0")
    device.switch_airplane(False)
    assert device.wlan_ip() == "10.0.2.16"


# -- services ----------------------------------------------------------------------------
def test_framebuffer_is_the_screenshot(device: adbutils.AdbDevice) -> None:
    frame = device.framebuffer()
    assert frame.mode == "RGBA" and frame.size == tuple(device.window_size())
    # Same pixels as screencap (the other way adbutils takes a picture).
    assert frame.convert("RGB").tobytes() == device.screenshot().convert("RGB").tobytes()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def host_echo() -> Iterator[int]:
    """A host-side TCP server answering ``pong:<what it got>``, one connection at a time."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"pong:" + conn.recv(100))

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def _ask(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(b"ping")
        return conn.recv(100)


def test_reverse_carries_device_connections_to_the_host(device: adbutils.AdbDevice,
                                                        host_echo: int) -> None:
    device_port = _free_port()
    remote, local = f"tcp:{device_port}", f"tcp:{host_echo}"
    device.reverse(remote, local)
    try:
        assert any(r.remote == remote and r.local == local for r in device.reverse_list())
        # What an app on the device does: connect to its own port, reach the host's.
        assert _ask(device_port) == b"pong:ping"
        with pytest.raises(adbutils.AdbError, match="cannot rebind"):
            device.reverse(remote, local, norebind=True)
        device.reverse_remove(remote)
        assert not any(r.remote == remote for r in device.reverse_list())
        with pytest.raises(OSError):
            _ask(device_port)
        with pytest.raises(adbutils.AdbError, match="not found"):
            device.reverse_remove(remote)
    finally:
        device.reverse_remove_all()


def test_reverse_remove_all(device: adbutils.AdbDevice, host_echo: int) -> None:
    ports = [_free_port(), _free_port()]
    for port in ports:
        device.reverse(f"tcp:{port}", f"tcp:{host_echo}")
    assert {r.remote for r in device.reverse_list()} >= {f"tcp:{p}" for p in ports}
    device.reverse_remove_all()
    assert device.reverse_list() == []
