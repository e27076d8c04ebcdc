"""Where the adb server is, and starting it when it is local and not running.

The address follows adb's own rule (``adb -L`` / ``-H`` / ``-P``, else the environment):
``ADB_SERVER_SOCKET`` (``tcp:host:port`` or ``tcp:port``) wins over
``ANDROID_ADB_SERVER_ADDRESS`` and ``ANDROID_ADB_SERVER_PORT``; adbutils reads the host
from ``ANDROID_ADB_SERVER_HOST`` instead, so that name is honoured as well.

A server this process starts is this process's to stop: :meth:`AdbServer.session`
kills it on the way out, so no command leaves a stray adb daemon behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import adbutils
from adbutils._adb import AdbConnection

from harness.errors import DeviceError, InputError

_LOCAL = {"127.0.0.1", "localhost", "::1"}
DEFAULT_PORT = 5037


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


def _port(text: str, what: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise InputError(f"{what}: {text!r} is not a port number (1-65535)", field=what)
    return int(text)


@dataclass(frozen=True)
class AdbServer:
    """Address of an adb server (``adb -H host -P port``)."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT

    @classmethod
    def parse(cls, address: str) -> AdbServer:
        """``host:port``, ``host``, ``:port``, ``adb://host:port``, or adb's socket
        spec ``tcp:host:port`` / ``tcp:port``."""
        text = address.strip()
        if text.startswith("tcp:"):
            return cls.from_socket_spec(text)
        text = text.removeprefix("adb://").removeprefix("tcp://").rstrip("/")
        host, sep, port = text.rpartition(":")
        if not sep:
            host, port = text, str(DEFAULT_PORT)
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise InputError(
                f"not an adb server address: {address!r} (expected host:port, e.g. 127.0.0.1:5037)"
            )
        return cls(host=host.strip("[]") or "127.0.0.1", port=int(port))

    @classmethod
    def from_socket_spec(cls, spec: str, what: str = "ADB_SERVER_SOCKET") -> AdbServer:
        """adb's ``tcp:port`` / ``tcp:host:port`` (``-L`` and ``ADB_SERVER_SOCKET``)."""
        kind, _, rest = spec.strip().partition(":")
        if kind != "tcp" or not rest:
            raise InputError(
                f"{what}={spec!r}: only tcp:PORT or tcp:HOST:PORT are supported", field=what
            )
        host, sep, port = rest.rpartition(":")
        return cls(host=(host.strip("[]") if sep else "") or "127.0.0.1", port=_port(port, what))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AdbServer:
        """The server adb itself would use with no ``-H``/``-P``/``-L``."""
        env = os.environ if env is None else env
        spec = env.get("ADB_SERVER_SOCKET", "").strip()
        if spec:
            return cls.from_socket_spec(spec)
        host = (
            env.get("ANDROID_ADB_SERVER_ADDRESS", "").strip()
            or env.get("ANDROID_ADB_SERVER_HOST", "").strip()
            or "127.0.0.1"
        )
        port_text = env.get("ANDROID_ADB_SERVER_PORT", "").strip()
        port = _port(port_text, "ANDROID_ADB_SERVER_PORT") if port_text else DEFAULT_PORT
        return cls(host=host, port=port)

    @classmethod
    def resolve(cls, address: str | None, env: Mapping[str, str] | None = None) -> AdbServer:
        """``--adb`` when given, else the environment, else 127.0.0.1:5037."""
        return cls.parse(address) if address else cls.from_env(env)

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

    def _adb(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
        # -P alone: ADB_SERVER_SOCKET in the environment would otherwise win over it.
        env = {k: v for k, v in os.environ.items() if k != "ADB_SERVER_SOCKET"}
        return subprocess.run(
            [adb_binary(), "-P", str(self.port), *args],
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
            env=env,
        )

    def ensure_running(self) -> bool:
        """Start a local server on this port if none answers (never a remote one).

        Returns True when this call started it (the caller then owns it: see
        :meth:`session`)."""
        if self.reachable():
            return False
        if not self.is_local:
            raise DeviceError(f"adb server at {self} is unreachable")
        try:
            result = self._adb("start-server")
        except (OSError, subprocess.SubprocessError) as exc:
            raise DeviceError(f"cannot start the adb server on port {self.port}: {exc}") from exc
        if result.returncode != 0 or not self.reachable():
            tail = result.stderr.decode(errors="replace")[-300:]
            raise DeviceError(f"cannot start the adb server on port {self.port}: {tail}")
        return True

    def kill(self) -> None:
        """``adb kill-server`` on this (local) port; nothing when none answers."""
        if not self.is_local or not self.reachable():
            return
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self._adb("kill-server", timeout=15)

    @contextlib.contextmanager
    def session(self, *, start: bool = True) -> Iterator[bool]:
        """The server for the duration of a command: started when local and not
        running (``start``), and killed on exit if this started it. Yields whether
        it did."""
        started = self.ensure_running() if start else False
        try:
            yield started
        finally:
            if started:
                self.kill()

    def client(self, timeout: float = 30.0) -> adbutils.AdbClient:
        return _Client(self.host, self.port, timeout)


class _NoAutoStart(AdbConnection):
    """adbutils answers a refused connection with `adb start-server` — on the port of the
    environment, not necessarily this one — and leaves that daemon running. Here a server
    that is not there is an error (``AdbConnectionError``), and starting one is
    :meth:`AdbServer.ensure_running`'s job, which knows who stops it."""

    def _safe_connect(self) -> socket.socket:
        return self._create_socket()  # type: ignore[no-any-return]


class _Client(adbutils.AdbClient):
    def __init__(self, host: str, port: int, timeout: float) -> None:
        super().__init__(host=host, port=port, socket_timeout=timeout)
        self._timeout = timeout

    def make_connection(self, timeout: float | None = None) -> AdbConnection:
        try:
            conn = _NoAutoStart(self.host, self.port)
        except TimeoutError as exc:
            raise adbutils.AdbTimeout("connect to adb server timeout") from exc
        wait = timeout or self._timeout
        if wait:
            conn.conn.settimeout(wait)
        return conn
