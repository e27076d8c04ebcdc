"""The one device rule, the adb server address from the environment, and no stray
adb server left behind."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from harness.device import AdbServer, attach, resolve_devices
from harness.errors import InputError


def test_adb_server_from_the_environment_like_adb() -> None:
    assert AdbServer.from_env({}) == AdbServer("127.0.0.1", 5037)
    assert AdbServer.from_env({"ANDROID_ADB_SERVER_PORT": "5038"}) == AdbServer("127.0.0.1", 5038)
    # adb's name for the host, and adbutils' name
    env = {"ANDROID_ADB_SERVER_ADDRESS": "10.0.0.2", "ANDROID_ADB_SERVER_PORT": "5040"}
    assert AdbServer.from_env(env) == AdbServer("10.0.0.2", 5040)
    assert AdbServer.from_env({"ANDROID_ADB_SERVER_HOST": "farm"}) == AdbServer("farm", 5037)
    # ADB_SERVER_SOCKET wins over the others, as in adb's own client
    env = {"ADB_SERVER_SOCKET": "tcp:192.168.1.9:6000", "ANDROID_ADB_SERVER_PORT": "5038"}
    assert AdbServer.from_env(env) == AdbServer("192.168.1.9", 6000)
    assert AdbServer.from_env({"ADB_SERVER_SOCKET": "tcp:5999"}) == AdbServer("127.0.0.1", 5999)
    # --adb wins over the environment and takes adb's -L form too
    assert AdbServer.resolve("tcp:h:1234", env) == AdbServer("h", 1234)
    assert AdbServer.resolve(None, env) == AdbServer("192.168.1.9", 6000)


@pytest.mark.parametrize(
    ("env", "field"),
    [
        ({"ANDROID_ADB_SERVER_PORT": "50x"}, "ANDROID_ADB_SERVER_PORT"),
        ({"ANDROID_ADB_SERVER_PORT": "70000"}, "ANDROID_ADB_SERVER_PORT"),
        ({"ADB_SERVER_SOCKET": "localfilesystem:/tmp/adb"}, "ADB_SERVER_SOCKET"),
        ({"ADB_SERVER_SOCKET": "tcp:host:"}, "ADB_SERVER_SOCKET"),
    ],
)
def test_bad_server_variables_name_the_variable(env: dict[str, str], field: str) -> None:
    with pytest.raises(InputError, match=field):
        AdbServer.from_env(env)


def test_the_one_device_rule() -> None:
    env = {"ANDROID_SERIAL": "emulator-5554", "ANDROID_ADB_SERVER_PORT": "5038"}
    req = resolve_devices(["R58M123"], None, env=env)
    assert (req.serials, req.source, req.server.port) == (("R58M123",), "--device", 5038)
    req = resolve_devices([], None, env=env)
    assert (req.serials, req.source, req.simulator) == (("emulator-5554",), "ANDROID_SERIAL", False)
    req = resolve_devices([], None, env={"ANDROID_SERIAL": "a, b"})
    assert req.serials == ("a", "b")
    req = resolve_devices([], None, env={})
    assert req.simulator and req.serials == () and "simulated" in req.describe()
    with pytest.raises(InputError, match="--device"):
        resolve_devices([], "127.0.0.1:5038", env={})
    with pytest.raises(InputError, match="not a device serial"):
        resolve_devices(["x; reboot"], None, env={})
    with pytest.raises(InputError, match="ANDROID_SERIAL"):
        resolve_devices([], None, env={"ANDROID_SERIAL": "$(id)"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_attach_stops_the_adb_server_it_started(cluster: Any) -> None:
    server = AdbServer("127.0.0.1", _free_port())
    assert not server.reachable()
    request = resolve_devices([cluster.serials[0]], str(server), env={})
    with attach(request) as devices:
        assert server.reachable()
        assert devices[0].props().frida == "local"
    assert not server.reachable()


def test_attach_leaves_a_running_server_alone(cluster: Any, adb: AdbServer) -> None:
    request = resolve_devices([cluster.serials[0]], str(adb), env={})
    with attach(request) as devices:
        assert devices[0].state() == "device"
    assert adb.reachable()


def test_no_adb_server_is_started_behind_our_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # adbutils on its own would run `adb start-server` on ANDROID_ADB_SERVER_PORT when a
    # connection is refused, and leave it running.
    from harness.device import DeviceError, connect

    ours, env_port = _free_port(), _free_port()
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(env_port))
    with pytest.raises(Exception) as caught:
        AdbServer("127.0.0.1", ours).client(5).list()
    assert "connect" in str(caught.value).lower()
    assert not AdbServer("127.0.0.1", env_port).reachable()
    assert not AdbServer("127.0.0.1", ours).reachable()
    # a remote server that is not there is an error, never started
    with pytest.raises(DeviceError, match="unreachable"):
        connect("emulator-5554", AdbServer("127.0.0.2", ours))
