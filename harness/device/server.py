"""Where the adb server is, and starting it when it is local and not running."""

from __future__ import annotations

import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import adbutils

from harness.errors import DeviceError, InputError

_LOCAL = {"127.0.0.1", "localhost", "::1"}


def adb_binary() -> str:
    """The real adb that ships inside adbutils, else one on PATH."""
    path = Path(adbutils.__file__).parent / "binaries" / "adb"
    if path.is_file():
        return str(path)
    found = shutil.which("adb")
    if found is None:
        raise DeviceError(
            "no adb binary: adbutils ships none for this platform and none is on PATH; "
            "install Android platform-tools"
        )
    return found


@dataclass(frozen=True)
class AdbServer:
    """Address of an adb server (``adb -H host -P port``)."""

    host: str = "127.0.0.1"
    port: int = 5037

    @classmethod
    def parse(cls, address: str) -> AdbServer:
        """``host:port``, ``host``, ``:port``, or ``adb://host:port``."""
        text = address.strip().removeprefix("adb://").removeprefix("tcp://").rstrip("/")
        host, sep, port = text.rpartition(":")
        if not sep:
            host, port = text, "5037"
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise InputError(
                f"not an adb server address: {address!r} (expected host:port, e.g. 127.0.0.1:5037)"
            )
        return cls(host=host.strip("[]") or "127.0.0.1", port=int(port))

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def is_local(self) -> bool:
        return self.host in _LOCAL

    def reachable(self, timeout: float = 0.5) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout):
                return True
        except OSError:
            return False

    def ensure_running(self) -> None:
        """Start a local server on this port if none answers (never a remote one)."""
        if self.reachable():
            return
        if not self.is_local:
            raise DeviceError(f"adb server at {self} is unreachable")
        try:
            result = subprocess.run(
                [adb_binary(), "-P", str(self.port), "start-server"],
                capture_output=True,
                timeout=30,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise DeviceError(f"cannot start the adb server on port {self.port}: {exc}") from exc
        if result.returncode != 0 or not self.reachable():
            tail = result.stderr.decode(errors="replace")[-300:]
            raise DeviceError(f"cannot start the adb server on port {self.port}: {tail}")

    def client(self, timeout: float = 30.0) -> adbutils.AdbClient:
        return adbutils.AdbClient(host=self.host, port=self.port, socket_timeout=timeout)
