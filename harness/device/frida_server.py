"""frida-server on a device: is it there, which version, is it running, and root.

Nothing here imports Frida (the device layer speaks adb only); comparing the version
with the host's Frida is the caller's business (``consent-harness doctor``).

Root, and the exact command for each kind of image:

* adbd already runs as root (``adb root`` done, or an eng build): run it directly;
* ``su 0 CMD`` works (AOSP's own ``su`` on userdebug builds);
* ``su -c 'CMD'`` works (Magisk/SuperSU on a rooted phone);
* none of them, but ``ro.debuggable=1`` (AOSP and Google APIs emulator images):
  ``adb root`` first (adbd restarts as root);
* none of them on a ``user`` build (Google Play images, production phones): not
  possible — use an AOSP or Google APIs image.
"""

from __future__ import annotations

import re
import shlex
import time
from dataclasses import dataclass
from typing import Literal

from harness.device.core import DeviceCore
from harness.device.errors import DeviceLost
from harness.device.parse import parse_getprop, parse_ps
from harness.device.server import DEFAULT_PORT, AdbServer
from harness.errors import DeviceError

FRIDA_SERVER_PATH = "/data/local/tmp/frida-server"
_PATH_RE = re.compile(r"^/data/local/tmp/[A-Za-z0-9._\-]{1,100}$", re.ASCII)
_VERSION_RE = re.compile(r"^\s*(\d+\.\d+\.\d+[\w.\-]*)\s*$")
_ROOT_ID = re.compile(r"\buid=0\(")
#: `su` may wait for a grant prompt on the phone; doctor must not hang on it.
_SU_TIMEOUT = 8.0

RootMethod = Literal["adbd", "su-0", "su-c"]


@dataclass(frozen=True)
class RootAccess:
    """How (and whether) this device runs a command as root."""

    #: How a root command can run right now; None = it cannot.
    method: RootMethod | None
    #: ``ro.debuggable=1``: ``adb root`` would restart adbd as root.
    debuggable: bool
    build_type: str

    def argv(self, argv: list[str]) -> list[str]:
        """``argv`` wrapped to run as root by :attr:`method`."""
        if self.method == "adbd":
            return argv
        if self.method == "su-0":
            return ["su", "0", *argv]
        if self.method == "su-c":
            return ["su", "-c", " ".join(shlex.quote(a) for a in argv)]
        raise DeviceError("no root on this device: " + self.advice("adb"))

    def advice(self, adb: str) -> str:
        """What to do to get root, as an exact command line (``adb`` = how to call adb
        for this device, e.g. ``adb -s emulator-5554``)."""
        if self.method is not None:
            return "root is available"
        if self.debuggable:
            return f"`{adb} root` (AOSP / Google APIs image: adbd restarts as root)"
        return (
            f"not possible: this is a {self.build_type or 'user'} build without su "
            "(a Google Play image or a production phone); use an AOSP or Google APIs "
            "emulator image, or a rooted phone"
        )

    def start_command(self, adb: str, path: str = FRIDA_SERVER_PATH) -> str:
        """The command line a user types to start frida-server at ``path`` on this device
        (or why no command can): ``-D`` daemonizes it, so ``adb shell`` returns."""
        if self.method is not None:
            return f"{adb} shell {shlex.join(self.argv([path, '-D']))}"
        if self.debuggable:
            # adbd restarts as root: the device drops off adb for a moment.
            return f"{adb} root && {adb} wait-for-device && {adb} shell {shlex.quote(path)} -D"
        return self.advice(adb)


@dataclass(frozen=True)
class FridaServerState:
    path: str
    present: bool
    #: What ``frida-server --version`` printed; None when it did not run or is absent.
    version: str | None
    #: Pids of running processes that look like frida-server.
    pids: tuple[int, ...]

    @property
    def running(self) -> bool:
        return bool(self.pids)


def adb_command(serial: str, server: AdbServer) -> str:
    """How a user calls adb for this device (``adb [-H h -P p] -s SERIAL``)."""
    parts = ["adb"]
    if server.host not in ("127.0.0.1", "localhost"):
        parts += ["-H", server.host]
    if server.port != DEFAULT_PORT or len(parts) > 1:
        parts += ["-P", str(server.port)]
    return " ".join([*parts, "-s", shlex.quote(serial)])


def check_server_path(path: str) -> str:
    if not _PATH_RE.fullmatch(path):
        raise DeviceError(f"frida-server path must be a file in /data/local/tmp, not {path!r}")
    return path


class FridaServerMixin(DeviceCore):
    def root_access(self) -> RootAccess:
        props = parse_getprop(self.shell_ok(["getprop"]).stdout)
        debuggable = props.get("ro.debuggable") == "1"
        build_type = props.get("ro.build.type", "")
        method: RootMethod | None = None
        if _ROOT_ID.search(self.shell(["id"]).stdout):
            method = "adbd"
        elif _ROOT_ID.search(self._try(["su", "0", "id"])):
            method = "su-0"
        elif _ROOT_ID.search(self._try(["su", "-c", "id"])):
            method = "su-c"
        return RootAccess(method, debuggable, build_type)

    def _try(self, argv: list[str]) -> str:
        """stdout of a probe that may be missing or hang (``su``); '' when it fails."""
        try:
            result = self.shell(argv, timeout=_SU_TIMEOUT)
        except DeviceLost:
            raise
        except DeviceError:
            return ""
        return result.stdout if result.ok else ""

    def frida_server(self, path: str = FRIDA_SERVER_PATH) -> FridaServerState:
        check_server_path(path)
        present = self.shell(["ls", path]).ok
        version = None
        if present:
            m = _VERSION_RE.match(self._try([path, "--version"]))
            version = m.group(1) if m else None
        return FridaServerState(path, present, version, self._frida_pids(path))

    def _frida_pids(self, path: str) -> tuple[int, ...]:
        result = self.shell(["ps", "-A"])
        base = path.rsplit("/", 1)[-1]
        return tuple(
            row.pid
            for row in parse_ps(result.stdout if result.ok else "")
            if row.name.rsplit("/", 1)[-1] in (base, "frida-server")
        )

    def start_frida_server(
        self,
        path: str = FRIDA_SERVER_PATH,
        *,
        root: RootAccess | None = None,
        timeout: float = 15.0,
    ) -> FridaServerState:
        """Start a frida-server the user pushed to ``path``, as root, daemonized (``-D``),
        and wait until it runs. Raises :class:`DeviceError` saying what to do when it
        cannot (no file, no root)."""
        state = self.frida_server(path)
        if state.running:
            return state
        if not state.present:
            raise DeviceError(f"{self.serial}: no frida-server at {path}")
        root = root or self.root_access()
        if root.method is None:
            advice = root.advice(adb_command(self.serial, self.adb))
            raise DeviceError(f"{self.serial}: frida-server needs root: {advice}")
        self.shell_ok(["chmod", "755", path])
        result = self.shell(root.argv([path, "-D"]), timeout=timeout)
        deadline = time.monotonic() + timeout
        while True:
            state = self.frida_server(path)
            if state.running:
                return state
            if time.monotonic() > deadline:
                raise DeviceError(
                    f"{self.serial}: frida-server did not start within {timeout:g}s "
                    f"({result.output.strip()[-300:] or f'exit {result.exit_code}'})"
                )
            time.sleep(0.3)
