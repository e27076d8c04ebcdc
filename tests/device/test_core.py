"""Shell, files, install, forward and connect — real adb binary, real adbutils, sim device."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from harness.device import (
    AdbServer,
    Device,
    DeviceError,
    DeviceLost,
    DeviceTimeout,
    ShellResult,
    connect,
    quote_argv,
)
from harness.errors import HarnessError, InputError

from .conftest import PACKAGE


def test_shell_carries_exit_status_and_streams(device: Device) -> None:
    result = device.shell(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert result == ShellResult(3, "out\n", "err\n")
    assert not result.ok


def test_argv_is_quoted_not_interpreted(device: Device) -> None:
    hostile = "x; echo INJECTED && false | $(id) `id` 'q' \"d\""
    assert device.shell(["echo", hostile]).stdout == hostile + "\n"
    assert quote_argv(["a b", "c"]) == "'a b' c"
    with pytest.raises(TypeError):
        device.shell("echo hi")  # type: ignore[arg-type]


def test_shell_ok_raises_with_the_output(device: Device) -> None:
    assert device.shell_ok(["echo", "fine"]).stdout == "fine\n"
    with pytest.raises(DeviceError, match=r"exited 1: .*nope") as info:
        device.shell_ok(["sh", "-c", "echo nope >&2; exit 1"])
    assert isinstance(info.value, HarnessError)


def test_push_pull_round_trip(device: Device, tmp_path: Path) -> None:
    src = tmp_path / "src.bin"
    src.write_bytes(bytes(range(256)) * 300)
    device.push(src, "/data/local/tmp/harness-test.bin")
    dst = tmp_path / "dst.bin"
    assert device.pull("/data/local/tmp/harness-test.bin", dst) == src.stat().st_size
    assert dst.read_bytes() == src.read_bytes()
    device.shell_ok(["rm", "/data/local/tmp/harness-test.bin"])
    with pytest.raises(DeviceError):
        device.pull("/data/local/tmp/harness-test.bin", tmp_path / "gone.bin")
    assert not (tmp_path / "gone.bin").exists()


def test_install_and_bad_install(device: Device, apk: Path, tmp_path: Path) -> None:
    device.install(apk)
    assert PACKAGE in device.packages()
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DeviceError, match="install of bad.apk failed"):
        device.install(bad)


def test_forward(device: Device, cluster: Any) -> None:
    port = free_port()
    device.forward(f"tcp:{port}", "tcp:27042")
    listing = cluster.adb("forward", "--list").stdout.decode()
    assert f"{device.serial} tcp:{port} tcp:27042" in listing
    cluster.adb("forward", "--remove", f"tcp:{port}")
    with pytest.raises(DeviceError, match="not a forward spec"):
        device.forward("tcp:1; reboot", "tcp:27042")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connect_picks_the_only_device(cluster: Any, adb: AdbServer) -> None:
    dev = connect(None, adb)
    assert dev.serial == cluster.serials[0]
    with pytest.raises(DeviceError, match="no device 'emulator-5554'"):
        connect("emulator-5554", adb)


def test_unreachable_remote_server() -> None:
    with pytest.raises(DeviceError, match="unreachable"):
        connect(None, AdbServer(host="192.0.2.1", port=5037))


def test_adb_server_address_parsing() -> None:
    assert AdbServer.parse("10.0.0.2:5038") == AdbServer("10.0.0.2", 5038)
    assert AdbServer.parse("adb://farm.local:6000") == AdbServer("farm.local", 6000)
    assert AdbServer.parse("farm.local") == AdbServer("farm.local", 5037)
    assert str(AdbServer()) == "127.0.0.1:5037"
    with pytest.raises(InputError):
        AdbServer.parse("host:notaport")


def test_dropped_connection_mid_command_is_device_lost(device: Device, cluster: Any) -> None:
    marker = "/data/local/tmp/harness-running"
    device.shell(["rm", "-f", marker])
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            device.shell(["sh", "-c", f"echo partial; touch {marker}; sleep 10; echo never"])
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            errors.append(exc)

    worker = threading.Thread(target=slow)
    worker.start()
    # drop only once the device is running the command (the marker exists)
    while not device.shell(["ls", marker]).ok:
        assert worker.is_alive(), errors
    assert cluster.control(device.serial).drop_connection() >= 1
    worker.join(30)
    assert len(errors) == 1 and isinstance(errors[0], DeviceLost), errors
    device.wait_online(30)
    assert device.shell(["echo", "back"]).stdout == "back\n"
    device.shell(["rm", "-f", marker])


def test_command_on_a_dropped_device_is_device_lost(device: Device, cluster: Any) -> None:
    control = cluster.control(device.serial)
    control.drop_connection()
    try:
        device.shell(["echo", "x"])
    except DeviceLost:
        pass  # offline, as expected — or the server already reconnected (also fine)
    device.wait_online(30)


def test_hanging_device_times_out(device: Device, cluster: Any) -> None:
    cluster.control(device.serial).hang_next_stream()
    with pytest.raises(DeviceTimeout, match="no answer within 1s"):
        device.shell(["echo", "x"], timeout=1)
    assert device.shell(["echo", "y"]).stdout == "y\n"
