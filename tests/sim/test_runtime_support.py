"""Test support (no tests here): run a sim app's JVM directly with the launch contract's
environment and a tiny in-test bridge server standing in for the device.

Real JVM, real sockets; every JVM started here is killed by ``AppRun.close``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from harness.sim import runtime
from harness.sim.errors import SimulatorError
from tests.e2e_support import require

Msg = dict[str, Any]

#: Generous upper bounds for waits (never asserted on): two cores are shared by many JVMs.
WAIT = 60.0

DEVICE_IDENTITY = {
    "index": 0,
    "serial": "SIMTEST0001",
    "imei": "861234567890123",
    "meid": "A1000012345678",
    "imsi": "460001234567890",
    "iccid": "89860012345678901234",
    "line_number": "+8613812345678",
    "android_id": "a1b2c3d4e5f60718",
    "wifi_mac": "02:00:5e:10:20:30",
    "bt_mac": "02:00:5e:10:20:31",
    "ad_id": "3f2a1b4c-0000-4000-8000-123456789abc",
    "oaid": "oaid-test-0001",
    "location": {"latitude": 31.2304, "longitude": 121.4737, "accuracy": 10.0},
    "sdk_int": 33,
    "release": "13",
    "model": "SimPhone",
    "manufacturer": "SimCorp",
    "brand": "sim",
}


def need_jdk() -> None:
    """Skip without a JDK, except on CI where a missing JDK is a failure (DESIGN §8)."""
    try:
        runtime.javac()
        runtime.java()
    except SimulatorError as exc:
        require("a JDK", str(exc))


def install_dir(apk: Path, root: Path) -> Path:
    """Unpacks a sim package like `pm install` does (data/app/<pkg>/)."""
    dest = root / apk.stem
    with zipfile.ZipFile(apk) as z:
        z.extractall(dest)
    return dest


def find_node(node: Msg | None, pred: Callable[[Msg], bool]) -> Msg | None:
    if node is None:
        return None
    if pred(node):
        return node
    for child in node.get("children", []):
        hit = find_node(child, pred)
        if hit is not None:
            return hit
    return None


def texts(node: Msg | None) -> list[str]:
    out: list[str] = []
    if node is None:
        return out
    if node.get("text"):
        out.append(node["text"])
    for child in node.get("children", []):
        out.extend(texts(child))
    return out


class AppRun:
    """One app process talking to an in-test bridge."""

    def __init__(
        self,
        app_dir: Path,
        *,
        data_dir: Path | None = None,
        wait_debugger: bool = False,
        grants: list[str] | None = None,
        trace: bool = False,
        device: Msg | None = None,
    ) -> None:
        self.app_dir = app_dir
        self.package = json.loads((app_dir / "manifest.json").read_text())["package"]
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="simdata-"))
        (self.data_dir / "shared_prefs").mkdir(parents=True, exist_ok=True)
        self.messages: list[Msg] = []
        self._new = threading.Condition()
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(1)
        port = self._server.getsockname()[1]
        ident = self.data_dir.parent / f"device-{port}.json"
        ident.write_text(json.dumps(device or DEVICE_IDENTITY))
        env = dict(os.environ)
        env.update(
            {
                "SIM_BRIDGE": f"127.0.0.1:{port}",
                "SIM_PACKAGE": self.package,
                "SIM_APP_DIR": str(app_dir),
                "SIM_DATA_DIR": str(self.data_dir),
                "SIM_WAIT_DEBUGGER": "1" if wait_debugger else "0",
                "SIM_DEVICE": str(ident),
                "SIM_GRANTS": ",".join(grants or []),
            }
        )
        # trace=True: the ground-truth tap writes every surface call to this file.
        self.tap_path = self.data_dir.parent / f"tap-{port}.jsonl"
        if trace:
            env["SIM_TAP"] = str(self.tap_path)
        self.argv = runtime.launch_argv(app_dir, None)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv,
            env=env,
            cwd=str(self.data_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._server.settimeout(WAIT)
        self.conn, _ = self._server.accept()
        self.conn.settimeout(None)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = self.conn.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                with self._new:
                    self.messages.append({"t": "_eof"})
                    self._new.notify_all()
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                msg["_at"] = time.monotonic()
                with self._new:
                    self.messages.append(msg)
                    self._new.notify_all()

    def send(self, msg: Msg) -> None:
        self.conn.sendall((json.dumps(msg) + "\n").encode())

    def wait_for(self, pred: Callable[[Msg], bool], timeout: float = WAIT, start: int = 0) -> Msg:
        """The first message (from index ``start``) matching ``pred``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._new:
            while True:
                for msg in self.messages[start:]:
                    if pred(msg):
                        return msg
                left = deadline - time.monotonic()
                if left <= 0:
                    err = (
                        self.proc.stderr.read1(4000).decode(errors="replace")
                        if self.proc.poll() is not None and self.proc.stderr
                        else ""
                    )
                    raise AssertionError(
                        f"no matching message from {self.package}; got "
                        f"{[m.get('t') for m in self.messages][-20:]} {err}"
                    )
                self._new.wait(min(left, 0.5))

    def mark(self) -> int:
        with self._new:
            return len(self.messages)

    def windows(self, start: int = 0) -> list[Msg]:
        """The latest window stack sent at or after index ``start``."""
        msg = self.wait_for(lambda m: m.get("t") == "windows", start=start)
        with self._new:
            latest = [m for m in self.messages[start:] if m.get("t") == "windows"]
        return latest[-1]["windows"] if latest else msg["windows"]

    def wait_windows(self, pred: Callable[[list[Msg]], bool], start: int = 0) -> list[Msg]:
        msg = self.wait_for(lambda m: m.get("t") == "windows" and pred(m["windows"]), start=start)
        windows: list[Msg] = msg["windows"]
        return windows

    def click(self, window: Msg, text: str) -> None:
        node = find_node(window["root"], lambda n: n.get("text") == text)
        assert node is not None, f"no view with text {text!r} in {texts(window['root'])}"
        self.send({"t": "click", "window": window["id"], "vid": node["vid"]})

    def logs(self, tag: str | None = None) -> list[Msg]:
        with self._new:
            return [
                m for m in self.messages if m.get("t") == "log" and (tag is None or m["tag"] == tag)
            ]

    def tapped(self) -> list[Msg]:
        """Every surface call the tap recorded so far (trace=True), in order."""
        if not self.tap_path.is_file():
            return []
        lines = self.tap_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    def traced(self) -> list[tuple[str, str]]:
        """(api, thread) of every surface call the tap recorded so far (trace=True)."""
        return [(c["api"], c["thread"]) for c in self.tapped()]

    def wait_tap(self, pred: Callable[[Msg], bool], timeout: float = WAIT) -> Msg:
        """The first tapped call matching ``pred``; waits for it (the file grows as calls run)."""
        deadline = time.monotonic() + timeout
        while True:
            for call in self.tapped():
                if pred(call):
                    return call
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching tapped call from {self.package}; got "
                                     f"{[c['api'] for c in self.tapped()][-20:]}")
            time.sleep(0.05)

    def exited(self, timeout: float = WAIT) -> int:
        return self.proc.wait(timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(WAIT)
        if self.proc.stderr:
            self.proc.stderr.close()
        self.conn.close()
        self._server.close()


def top(windows: list[Msg], kind: str | None = None) -> Msg:
    cands = [w for w in windows if kind is None or w["type"] == kind]
    assert cands, f"no {kind} window in {[w['type'] for w in windows]}"
    return cands[-1]


def run_app(app_dir: Path, **kw: Any) -> Iterator[AppRun]:
    run = AppRun(app_dir, **kw)
    try:
        yield run
    finally:
        run.close()
