"""The narrow core: shell with exit status, files, install, forward — and the one
place where adbutils errors become :class:`DeviceError` / :class:`DeviceLost`."""

from __future__ import annotations

import contextlib
import re
import shlex
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import adbutils
from adbutils.errors import AdbConnectionError

from harness.device.errors import DeviceLost, DeviceTimeout
from harness.device.server import AdbServer
from harness.errors import DeviceError

# adbutils' own messages that mean "the device or its connection is gone".
_LOST_WORDS = (
    "offline",
    "not found",
    "closed",
    "shell output invalid",
    "read chunk missing",
    "no devices",
    "unauthorized",
    "connection reset",
    "broken pipe",
)

DEFAULT_TIMEOUT = 30.0
_FORWARD_SPEC = re.compile(
    r"tcp:\d{1,5}|jdwp:\d+|(localabstract|localreserved|localfilesystem):[\w./\-]+", re.ASCII
)


@dataclass(frozen=True)
class ShellResult:
    """Outcome of one device command."""

    exit_code: int
    stdout: str
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def output(self) -> str:
        """stdout then stderr (what a terminal would show, roughly)."""
        return self.stdout + self.stderr


def quote_argv(argv: Sequence[str]) -> str:
    """One shell line from argv, every element quoted."""
    if isinstance(argv, (str, bytes)):
        raise TypeError("shell() takes a list of arguments, not a command line")
    if not argv:
        raise ValueError("empty command")
    return " ".join(shlex.quote(str(a)) for a in argv)


class DeviceCore:
    """One device reached through an adb server."""

    def __init__(self, serial: str, adb: AdbServer, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.serial = serial
        self.adb = adb
        self.timeout = timeout
        self._client = adb.client(timeout)
        self._dev = self._client.device(serial)
        self._v2: bool | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.serial!r} via {self.adb})"

    # -- errors ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _translate(self, what: str, timeout: float | None = None) -> Iterator[None]:
        """adbutils/socket errors → DeviceTimeout, DeviceLost or DeviceError."""
        try:
            yield
        except DeviceError:
            raise
        except adbutils.AdbTimeout as exc:
            raise DeviceTimeout(
                f"{self.serial}: no answer within {timeout or self.timeout:g}s to {what}"
            ) from exc
        except TimeoutError as exc:
            raise DeviceTimeout(
                f"{self.serial}: no answer within {timeout or self.timeout:g}s to {what}"
            ) from exc
        except (EOFError, ConnectionError) as exc:
            raise DeviceLost(
                f"{self.serial}: connection lost during {what}: {exc or 'EOF'}"
            ) from exc
        except AdbConnectionError as exc:
            raise DeviceError(f"adb server at {self.adb} unreachable ({what}): {exc}") from exc
        except adbutils.AdbError as exc:
            text = str(exc)
            if any(word in text.lower() for word in _LOST_WORDS):
                raise DeviceLost(f"{self.serial}: device lost during {what}: {text}") from exc
            raise DeviceError(f"{self.serial}: {what} failed: {text}") from exc
        except OSError as exc:
            raise DeviceLost(f"{self.serial}: connection error during {what}: {exc}") from exc

    # -- state ----------------------------------------------------------------------
    def state(self) -> str:
        """``device``, ``offline``, ``unauthorized``… or ``absent``."""
        with self._translate("list devices"):
            for info in self._client.list():
                if info.serial == self.serial:
                    return str(info.state)
        return "absent"

    def wait_online(self, timeout: float = 30.0) -> None:
        """Wait until the device is back in ``device`` state (reconnecting a TCP
        device); raise :class:`DeviceLost` if it is not within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(DeviceError):
                if self.state() == "device":
                    self._v2 = None
                    return
                if ":" in self.serial:
                    with self._translate("connect"):
                        self._client.connect(self.serial, timeout=min(10.0, timeout))
            if time.monotonic() > deadline:
                raise DeviceLost(f"{self.serial}: not back online within {timeout:g}s")
            time.sleep(0.2)

    # -- shell ----------------------------------------------------------------------
    def shell(self, argv: Sequence[str], timeout: float | None = None) -> ShellResult:
        """Run argv (each element quoted) and return its exit status and output.

        Uses the framed shell protocol (v2) when the device offers it, so a cut
        connection is an error, never a silently short output."""
        return self._run(quote_argv(argv), timeout)

    def shell_ok(self, argv: Sequence[str], timeout: float | None = None) -> ShellResult:
        """Like :meth:`shell`, raising :class:`DeviceError` unless the exit status is 0."""
        result = self.shell(argv, timeout)
        if not result.ok:
            detail = (result.stderr.strip() or result.stdout.strip())[-500:]
            raise DeviceError(
                f"{self.serial}: `{quote_argv(argv)}` exited {result.exit_code}: {detail}"
            )
        return result

    def _run(self, line: str, timeout: float | None) -> ShellResult:
        """Run an already-quoted line. Only this module builds such lines."""
        wait = timeout or self.timeout
        with self._translate(f"`{line[:80]}`", wait):
            if self._v2 is None:
                self._v2 = "shell_v2" in self._dev.get_features().split(",")
            result = self._dev.shell2(line, timeout=wait, v2=self._v2)
        stdout = result.stdout if self._v2 else result.output
        return ShellResult(result.returncode, stdout, result.stderr if self._v2 else "")

    def _run_bytes(self, argv: Sequence[str], timeout: float | None = None) -> bytes:
        """stdout of argv as bytes; raises unless exit 0 (needs the v2 protocol)."""
        wait = timeout or self.timeout
        line = quote_argv(argv)
        with self._translate(f"`{line[:80]}`", wait):
            if self._v2 is None:
                self._v2 = "shell_v2" in self._dev.get_features().split(",")
            if not self._v2:
                raise DeviceError(f"{self.serial}: binary output needs the shell_v2 protocol")
            raw = self._dev.shell2(line, timeout=wait, encoding=None, v2=True)
        if raw.returncode != 0:
            detail = raw.stderr.decode(errors="replace").strip()[-300:]
            raise DeviceError(f"{self.serial}: `{line}` exited {raw.returncode}: {detail}")
        return bytes(raw.stdout)

    # -- files ----------------------------------------------------------------------
    def push(self, local: str | Path, remote: str) -> None:
        local = Path(local)
        if not local.is_file():
            raise DeviceError(f"cannot push {local}: not a file")
        with self._translate(f"push {local} → {remote}"):
            self._dev.sync.push(local, remote)

    def pull(self, remote: str, local: str | Path) -> int:
        """Copy a device file to ``local``; returns its size. The file is written only
        when the whole content arrived."""
        local = Path(local)
        tmp = local.with_name(local.name + f".part-{uuid.uuid4().hex[:8]}")
        try:
            with self._translate(f"pull {remote}"):
                data = self._dev.sync.read_bytes(remote)
            tmp.write_bytes(data)
            tmp.replace(local)
        finally:
            tmp.unlink(missing_ok=True)
        return len(data)

    def read_file(self, remote: str) -> bytes:
        with self._translate(f"read {remote}"):
            return bytes(self._dev.sync.read_bytes(remote))

    def install(self, path: str | Path, *, timeout: float = 120.0) -> None:
        """``pm install -r -t`` an APK (pushed to /data/local/tmp first)."""
        path = Path(path)
        remote = f"/data/local/tmp/harness-{uuid.uuid4().hex[:12]}.apk"
        self.push(path, remote)
        try:
            result = self.shell(["pm", "install", "-r", "-t", remote], timeout=timeout)
        finally:
            with contextlib.suppress(DeviceError):
                self.shell(["rm", "-f", remote])
        if not result.ok or "Success" not in result.stdout:
            detail = (result.stdout.strip() + " " + result.stderr.strip()).strip()[-500:]
            raise DeviceError(f"{self.serial}: install of {path.name} failed: {detail}")

    def forward(self, local: str, remote: str) -> int | None:
        """``adb forward local remote`` (``tcp:N``, ``localabstract:name``…). ``local``
        ``tcp:0`` lets the adb server pick a free port on its host, returned here (no race
        between choosing a port and binding it); None for any other ``local``."""
        for spec in (local, remote):
            if not _FORWARD_SPEC.fullmatch(spec):
                raise DeviceError(f"not a forward spec: {spec!r} (e.g. tcp:27042)")
        with self._translate(f"forward {local} {remote}"):
            # adbutils' forward() drops the reply; the server answers OKAY (transport),
            # OKAY (status) and, for tcp:0, the port it bound as a length-prefixed string.
            conn = self._dev.open_transport(f"forward:{local};{remote}")
            try:
                conn.check_okay()
                if local != "tcp:0":
                    return None
                port = conn.read_string_block().strip()
            finally:
                conn.close()
        if not port.isdigit():
            raise DeviceError(f"{self.serial}: adb forward tcp:0 answered {port[:40]!r}, no port")
        return int(port)

    def remove_forward(self, local: str) -> bool:
        """``adb forward --remove local``; False when no such forward existed (the server
        drops a device's forwards by itself when the device goes away)."""
        if not _FORWARD_SPEC.fullmatch(local):
            raise DeviceError(f"not a forward spec: {local!r} (e.g. tcp:27042)")
        try:
            with self._translate(f"forward --remove {local}"):
                self._dev.forward_remove(local, raise_non_found=True)
        except DeviceError as exc:
            # "listener 'tcp:N' not found", or the device itself is gone (and its forwards
            # with it): either way there is nothing left to remove.
            if "not found" in str(exc):
                return False
            raise
        return True

    def list_forwards(self) -> list[tuple[str, str]]:
        """This device's forwards on its adb server: (local, remote) pairs."""
        with self._translate("forward --list"):
            items = self._dev.forward_list()
        return [(item.local, item.remote) for item in items if item.serial == self.serial]
