"""The processes of an app: the main one by its real name, and the others (``:push``…).

The main process is not always named after the package: ``<application
android:process="…">`` renames it, and SDKs run in ``<pkg>:push``, ``:pushcore``,
``:channel``. The caller passes the name the manifest declares when it knows it
(``harness.device.apkinfo``); the device adds every process of the package's uid.
"""

from __future__ import annotations

import json
import re
import struct
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.device.axml import read_axml_processes
from harness.device.core import DeviceCore
from harness.device.names import check_package
from harness.device.parse import app_user_name, parse_ps, parse_user_id
from harness.errors import DeviceError


@dataclass(frozen=True)
class AppProcess:
    pid: int
    name: str
    #: True for the process the app's launcher activity runs in.
    main: bool


class ProcessesMixin(DeviceCore):
    """Which processes belong to an app, and which of them is the main one."""

    def app_processes(
        self, package: str, *, main_name: str | None = None, also: Iterable[str] = ()
    ) -> list[AppProcess]:
        """Running processes of ``package``, main process first.

        A process belongs to the app when it is named after it (``pkg``, ``pkg:push``),
        is named ``main_name`` or one of ``also`` (names from the manifest), or runs
        under the app's uid (``u0_a123``)."""
        check_package(package)
        main = main_name or package
        names = {main, *also}
        dump = self.shell_ok(["dumpsys", "package", package]).stdout
        uid = parse_user_id(dump, package)
        user = app_user_name(uid) if uid is not None and uid >= 10000 else None
        result = self.shell(["ps", "-A"])
        if not result.ok:
            raise DeviceError(f"{self.serial}: ps -A exited {result.exit_code}: {result.output}")
        found = [
            AppProcess(row.pid, row.name, row.name == main)
            for row in parse_ps(result.stdout)
            if row.name in names
            or row.name.startswith(package + ":")
            or (user is not None and row.user == user)
        ]
        return sorted(found, key=lambda p: (not p.main, p.name, p.pid))

    def declared_processes(self, package: str) -> list[str]:
        """Full names of the further processes the installed app's manifest declares
        (``<service android:process=":push">`` → ``pkg:push``), read from its base APK.

        Only a sim package's ``manifest.json`` is read (a binary ``AndroidManifest.xml``
        gives []: on a real device spawn gating needs no names). The APK is the app's
        (hostile) data: anything malformed gives [], never an error."""
        check_package(package)
        result = self.shell(["pm", "path", package])
        paths = [line.removeprefix("package:").strip() for line in result.stdout.splitlines()
                 if line.startswith("package:")]
        if not result.ok or not paths:
            return []
        remote = next((p for p in paths if p.endswith("/base.apk")), paths[0])
        # Pulled once per installed version: a suite launches the same app many times.
        stat = self.shell(["stat", "-c", "%s %Y", remote])
        key = (package, remote, stat.stdout.strip()) if stat.ok else None
        cache: dict[tuple[str, str, str], list[str]] = self.__dict__.setdefault(
            "_declared_processes", {})
        if key is not None and key in cache:
            return list(cache[key])
        with tempfile.TemporaryDirectory() as tmp:
            local = Path(tmp) / "base.apk"
            self.pull(remote, local)
            names = _manifest_processes(local, package)
        if key is not None:
            cache[key] = names
        return list(names)

    def main_pid(self, package: str, main_name: str | None = None) -> int | None:
        """The pid of the app's main process (named ``main_name``, default the
        package), or None when it is not running."""
        for proc in self.app_processes(package, main_name=main_name):
            if proc.main:
                return proc.pid
        return None

    def wait_main_pid(
        self, package: str, main_name: str | None = None, timeout: float = 10.0
    ) -> int:
        deadline = time.monotonic() + timeout
        while True:
            pid = self.main_pid(package, main_name)
            if pid is not None:
                return pid
            if time.monotonic() > deadline:
                raise DeviceError(
                    f"{self.serial}: {main_name or package} did not start within {timeout:g}s"
                )
            time.sleep(0.1)


#: A process name as Android accepts it (a package, optionally ``:suffix``).
_PROCESS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*(:[A-Za-z0-9_.]+)?")
#: Largest manifest.json read from an APK (the app's data: bounded).
_MAX_MANIFEST = 1 << 20


def _manifest_processes(apk: Path, package: str) -> list[str]:
    """From a sim package's ``manifest.json`` (its services) or a binary
    ``AndroidManifest.xml`` (every component's ``android:process``)."""
    declared: list[object] = []
    try:
        with zipfile.ZipFile(apk) as archive:
            names_in = set(archive.namelist())
            if "manifest.json" in names_in:
                info = archive.getinfo("manifest.json")
                if info.file_size > _MAX_MANIFEST:
                    return []
                data = json.loads(archive.read(info))
                services = data.get("services") if isinstance(data, dict) else None
                declared = [svc.get("process") if isinstance(svc, dict) else None
                            for svc in (services if isinstance(services, list) else [])]
            elif "AndroidManifest.xml" in names_in:
                info = archive.getinfo("AndroidManifest.xml")
                if info.file_size > _MAX_MANIFEST:
                    return []
                declared = list(read_axml_processes(archive.read(info)))
    except (OSError, KeyError, ValueError, struct.error, zipfile.BadZipFile,
            NotImplementedError):
        return []
    names: list[str] = []
    for proc in declared:
        if not isinstance(proc, str) or not proc or len(proc) > 128:
            continue
        name = package + proc if proc.startswith(":") else proc
        if not _PROCESS_NAME.fullmatch(name):
            continue
        if name != package and name not in names:
            names.append(name)
    return names
