"""``adb forward`` through the harness's own adb server (a non-default port), at the
wire: the real adb server listens, the simulated device's ``tcp:PORT`` service connects
on its side (the host's loopback), and bytes go both ways; ``--remove`` closes it."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from harness.device import Device
from harness.errors import DeviceError


class _Echo:
    """A TCP listener that answers each connection with ``hello:`` + what it read."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = int(self.sock.getsockname()[1])
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.sendall(b"hello:" + conn.recv(100))

    def close(self) -> None:
        self.sock.close()


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as conn:
        conn.sendall(data)
        reply = b""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            chunk = conn.recv(100)
            if not chunk:
                break
            reply += chunk
        return reply


def test_forward_tcp0_reaches_a_listener_on_the_device_and_remove_closes_it(
    device: Device,
) -> None:
    echo = _Echo()
    try:
        assert device.adb.port != 5037  # the private server of the simulator
        port = device.forward("tcp:0", f"tcp:{echo.port}")
        assert port is not None and port > 0
        assert (f"tcp:{port}", f"tcp:{echo.port}") in device.list_forwards()
        assert _exchange(port, b"ping") == b"hello:ping"
        assert device.remove_forward(f"tcp:{port}") is True
        assert f"tcp:{port}" not in [local for local, _ in device.list_forwards()]
        assert device.remove_forward(f"tcp:{port}") is False  # already gone
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        echo.close()


def test_forward_to_nothing_is_closed_at_once(device: Device) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = int(probe.getsockname()[1])
    port = device.forward("tcp:0", f"tcp:{dead}")
    assert port is not None
    try:
        assert _exchange(port, b"x") == b""
    finally:
        device.remove_forward(f"tcp:{port}")


def test_fixed_local_port_returns_none_and_bad_specs_are_refused(device: Device) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = int(probe.getsockname()[1])
    assert device.forward(f"tcp:{free}", "tcp:27042") is None
    assert device.remove_forward(f"tcp:{free}") is True
    with pytest.raises(DeviceError, match="not a forward spec"):
        device.forward("tcp:0;reboot", "tcp:1")
    with pytest.raises(DeviceError, match="not a forward spec"):
        device.remove_forward("tcp:1 x")
