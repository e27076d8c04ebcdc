"""Frida reached through the harness's own adb server (not 127.0.0.1:5037): an ``adb
forward`` on that server to the device's frida-server port, and a Frida remote device on
the forward — against a real Frida endpoint.

The endpoint is the frida package's own PortalService: its control interface speaks
Frida's device protocol (enumerate processes, attach, scripts), like frida-server. The
simulated device's network is the host's loopback, so a portal listening on the host is
"frida-server on the device" for the forward. Nothing of frida or adbutils is mocked.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import frida  # a dependency: a missing Frida fails this module, never skips it
import pytest

from harness.device import AdbServer, Device, connect
from harness.errors import InstrumentationError
from harness.instrument.fridadev import pick_frida_device, release_frida_forwards
from tests.device.prompt_support import wait_until
from tests.e2e_support import require


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    try:
        from harness.sim import SimCluster
    except ImportError as exc:
        require("harness.sim", str(exc))
    with SimCluster(count=1, preinstall=False) as running:
        yield running


@pytest.fixture
def device(cluster: Any) -> Iterator[Device]:
    dev = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
    yield dev
    release_frida_forwards()


@pytest.fixture
def portal() -> Iterator[int]:
    """A real Frida endpoint on the 'device' (host loopback); yields its control port."""
    control = _free_port()
    service = frida.PortalService(
        frida.EndpointParameters(address="127.0.0.1", port=_free_port()),
        frida.EndpointParameters(address="127.0.0.1", port=control),
    )
    service.start()
    try:
        yield control
    finally:
        service.stop()


def _joined(portal_service_cluster: str) -> tuple[subprocess.Popen[bytes], Any]:
    """A host process joined to the portal, so the portal lists it."""
    proc = subprocess.Popen(["sleep", "120"])
    session = frida.get_local_device().attach(proc.pid)
    session.join_portal(portal_service_cluster)
    return proc, session


def test_forward_reaches_a_real_frida_and_runs_a_script(device: Device) -> None:
    cluster_port, control = _free_port(), _free_port()
    service = frida.PortalService(
        frida.EndpointParameters(address="127.0.0.1", port=cluster_port),
        frida.EndpointParameters(address="127.0.0.1", port=control),
    )
    service.start()
    proc, session = _joined(f"127.0.0.1:{cluster_port}")
    try:
        target = pick_frida_device(device.serial, None, device=device, server_port=control)
        assert target.kind == "forward" and target.forward is not None
        fwd = target.forward
        assert (fwd.spec, f"tcp:{control}") in device.list_forwards()
        assert fwd.address == f"127.0.0.1:{fwd.local_port}" and fwd.local_port != control
        listed = wait_until(
            lambda: [p.pid for p in target.device.enumerate_processes() if p.pid == proc.pid],
            "the joined process is listed through the forward",
        )
        assert listed == [proc.pid]
        got: list[Any] = []
        script = target.device.attach(proc.pid).create_script("send(Process.id);")
        script.on("message", lambda message, _data: got.append(message))
        script.load()
        wait_until(lambda: got, "the script's message")
        assert got[0] == {"type": "send", "payload": proc.pid}

        again = pick_frida_device(device.serial, None, device=device, server_port=control)
        assert again.forward is fwd  # one forward per device and process, reused
        assert release_frida_forwards(device.serial) == 1
        assert fwd.spec not in [local for local, _ in device.list_forwards()]
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", fwd.local_port), timeout=5).close()
    finally:
        session.detach()
        proc.kill()
        proc.wait(10)
        service.stop()


def test_environment_server_is_used_without_a_device(
    cluster: Any, portal: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # launch() passes only the serial today: the adb server then comes from
    # ANDROID_ADB_SERVER_PORT, as adb's own.
    monkeypatch.delenv("ADB_SERVER_SOCKET", raising=False)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(cluster.adb_port))
    target = pick_frida_device(cluster.serials[0], None, server_port=portal)
    assert target.kind == "forward" and target.forward is not None
    assert target.device.enumerate_processes() == []
    dev = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
    assert target.forward.spec in [local for local, _ in dev.list_forwards()]
    release_frida_forwards()
    assert target.forward.spec not in [local for local, _ in dev.list_forwards()]


def test_a_forward_adb_dropped_is_made_again(device: Device, portal: int) -> None:
    first = pick_frida_device(device.serial, None, device=device, server_port=portal)
    assert first.forward is not None
    device.remove_forward(first.forward.spec)  # as when the device reconnects
    second = pick_frida_device(device.serial, None, device=device, server_port=portal)
    assert second.forward is not None and second.forward.spec != first.forward.spec
    assert second.device.enumerate_processes() == []


def test_no_frida_server_names_the_server_the_route_and_the_command(device: Device) -> None:
    dead = _free_port()
    with pytest.raises(InstrumentationError) as caught:
        pick_frida_device(device.serial, None, device=device, server_port=dead)
    text = str(caught.value)
    adb = f"adb -P {device.adb.port} -s {device.serial}"
    assert f"on the adb server at 127.0.0.1:{device.adb.port}" in text, text
    assert f"port {dead}" in text
    # The simulator's default profile is an AOSP userdebug image without su: adb root.
    start = f"{adb} root && {adb} wait-for-device && {adb} shell /data/local/tmp/frida-server -D"
    assert f"`{start}`" in text
    assert f"{adb} push frida-server /data/local/tmp/frida-server" in text
    assert "su -c" not in text
    assert device.list_forwards() == []  # nothing answered behind it: removed


def test_the_forward_goes_when_the_command_releases_its_devices(cluster: Any, portal: int) -> None:
    from harness.cli._devices import provide_devices

    adb = f"127.0.0.1:{cluster.adb_port}"
    with provide_devices([cluster.serials[0]], None, adb) as devices:
        target = pick_frida_device(
            devices[0].serial, None, device=devices[0], server_port=portal
        )
        assert target.forward is not None
        spec = target.forward.spec
        assert spec in [local for local, _ in devices[0].list_forwards()]
    dev = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
    assert spec not in [local for local, _ in dev.list_forwards()]


def test_doctor_connects_through_the_forward_and_removes_it(device: Device, portal: int) -> None:
    from harness.cli._doctor_frida import _frida_connects

    check = _frida_connects(device, None, server_port=portal)
    assert check.ok, check
    assert check.found.startswith("through `adb forward tcp:") and f"tcp:{portal}`" in check.found
    assert device.list_forwards() == []
    dead = _free_port()
    check = _frida_connects(device, None, server_port=dead)
    assert not check.ok and f"the adb server at 127.0.0.1:{device.adb.port}" in check.found
    adb = f"adb -P {device.adb.port} -s {device.serial}"
    assert check.fix is not None and f"`{adb} root && {adb} wait-for-device" in check.fix
    assert device.list_forwards() == []
