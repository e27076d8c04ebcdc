"""``SimCluster``: simulated devices in a child process, behind a private adb server.

    with SimCluster(count=2) as cluster:
        device = cluster.client().device(cluster.serials[0])
        device.shell("getprop ro.product.model")

Everything started here is stopped on exit: the device process (and with it every app
JVM), and the adb server on its private port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import adbutils

from harness.sim.control import SimControl
from harness.sim.errors import SimAdbError, SimulatorError
from harness.sim.identity import DEFAULT_PROFILE, check_profile

_READY_TIMEOUT = 120.0  # the first start may compile the bundled apps
_CONNECT_TIMEOUT = 30.0


def adb_binary() -> str:
    """The adb that ships inside adbutils (the one the harness itself uses)."""
    path = Path(adbutils.__file__).parent / "binaries" / "adb"
    if path.is_file():
        return str(path)
    found = shutil.which("adb")
    if found is None:
        raise SimAdbError("no adb binary: adbutils ships none for this platform and none is "
                          "on PATH; install Android platform-tools")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _read_line(stream: IO[bytes], timeout: float) -> bytes:
    """readline with a deadline (the child may hang while starting)."""
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else b""


class SimCluster:
    def __init__(self, count: int = 1, preinstall: bool = True, *, launcher: str | None = None,
                 adb_path: str | None = None, root: Path | None = None,
                 log_level: str = "WARNING", profile: str = DEFAULT_PROFILE) -> None:
        try:
            self.profile = check_profile(profile)
        except ValueError as exc:
            raise SimulatorError(str(exc)) from exc
        self.count = count
        self.preinstall = preinstall
        self.launcher = launcher
        self.adb_path = adb_path or adb_binary()
        self.root = root
        self.log_level = log_level
        self.adb_host = "127.0.0.1"
        self.adb_port = 0
        self.serials: list[str] = []
        self.control_port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._adb_started = False

    # -- context manager ----------------------------------------------------------
    def __enter__(self) -> SimCluster:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- API ----------------------------------------------------------------------
    def client(self) -> adbutils.AdbClient:
        return adbutils.AdbClient(host=self.adb_host, port=self.adb_port)

    @property
    def device_pid(self) -> int | None:
        """Pid of the child process that runs the devices (None when stopped)."""
        return self._proc.pid if self._proc is not None else None

    def control(self, serial: str) -> SimControl:
        if serial not in self.serials:
            raise SimulatorError(f"{serial} is not a device of this cluster: {self.serials}")
        return SimControl("127.0.0.1", self.control_port, serial)

    def adb(self, *args: str, timeout: float = 60.0, input: bytes | None = None
            ) -> subprocess.CompletedProcess[bytes]:
        """Run the adb CLI against this cluster's private server."""
        return subprocess.run([self.adb_path, "-H", self.adb_host, "-P", str(self.adb_port),
                               *args], capture_output=True, timeout=timeout, input=input,
                              check=False)

    # -- start / stop -------------------------------------------------------------
    def start(self) -> None:
        try:
            self._start_devices()
            self._start_adb()
            for serial in self.serials:
                self.connect(serial)
        except BaseException:
            self.close()
            raise

    def _start_devices(self) -> None:
        cmd = [sys.executable, "-m", "harness.sim", "--count", str(self.count),
               "--log-level", self.log_level, "--profile", self.profile]
        if not self.preinstall:
            cmd.append("--no-apps")
        if self.launcher:
            cmd += ["--launcher", self.launcher]
        if self.root is not None:
            cmd += ["--root", str(self.root)]
        # stdin stays open for the child's life: when we go away (even killed), its stdin
        # closes and it shuts down with its apps.
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      start_new_session=True)
        assert self._proc.stdout is not None
        line = _read_line(self._proc.stdout, _READY_TIMEOUT)
        try:
            info: dict[str, Any] = json.loads(line)
        except ValueError as exc:
            raise SimulatorError("the simulated devices did not start "
                                 f"(child said {line[:300]!r}; see its stderr above)") from exc
        if "error" in info:
            raise SimulatorError(f"the simulated devices did not start: {info['error']}")
        self.serials = list(info["serials"])
        self.control_port = int(info["control"])

    def _start_adb(self, attempts: int = 3) -> None:
        # A free port can be taken by someone else (another cluster's adb server, in a
        # parallel test run) between choosing it and the server binding it: adb then
        # reports a protocol fault. Choose again.
        for attempt in range(attempts):
            self.adb_port = free_port()
            result = subprocess.run([self.adb_path, "-P", str(self.adb_port), "start-server"],
                                    capture_output=True, timeout=30, check=False,
                                    stdin=subprocess.DEVNULL)
            self._adb_started = True
            if result.returncode == 0:
                return
            if attempt == attempts - 1:
                raise SimAdbError(f"adb start-server failed: {result.stderr.decode()[-300:]}")

    def connect(self, serial: str, timeout: float = _CONNECT_TIMEOUT) -> None:
        """``adb connect`` and wait until the device is in ``device`` state."""
        client = self.client()
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(adbutils.AdbError, OSError):
                client.connect(serial, timeout=10)
                states = {d.serial: d.state for d in client.list()}
                if states.get(serial) == "device":
                    return
            if time.monotonic() > deadline:
                raise SimAdbError(f"{serial} did not reach 'device' state within {timeout}s")
            time.sleep(0.1)

    def close(self) -> None:
        if self._adb_started:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run([self.adb_path, "-P", str(self.adb_port), "kill-server"],
                               capture_output=True, timeout=15, check=False,
                               stdin=subprocess.DEVNULL)
            self._adb_started = False
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 9)
                proc.wait(timeout=15)
            if proc.stdout is not None:
                proc.stdout.close()
