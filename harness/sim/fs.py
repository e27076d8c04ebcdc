"""The device's file system: device paths mapped into a host folder.

Every device path is normalised before mapping, so ``..`` can never leave the root.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

from harness.sim.errors import SimulatorError

#: Folders every device has; ``/storage/emulated/0`` and ``/sdcard`` are one place.
STANDARD_DIRS = ("sdcard", "data/local/tmp", "data/app", "data/data", "system/bin", "proc")
_ALIASES = (("/storage/emulated/0", "/sdcard"), ("/storage/self/primary", "/sdcard"),
            ("/mnt/sdcard", "/sdcard"))


class DeviceFS:
    def __init__(self, root: Path) -> None:
        self.root = root
        for d in STANDARD_DIRS:
            (root / d).mkdir(parents=True, exist_ok=True)

    @staticmethod
    def normalize(path: str, cwd: str = "/") -> str:
        if "\0" in path:
            raise SimulatorError("path contains a NUL byte")
        full = posixpath.normpath(posixpath.join(cwd, path))
        if full.startswith("//"):
            full = "/" + full.lstrip("/")
        for alias, target in _ALIASES:
            if full == alias or full.startswith(alias + "/"):
                full = target + full[len(alias):]
        return full

    def host(self, path: str, cwd: str = "/") -> Path:
        """Host path of a device path (absolute or relative to ``cwd``)."""
        full = self.normalize(path, cwd)
        return self.root / full.lstrip("/") if full != "/" else self.root

    def device_path(self, host: Path) -> str:
        rel = host.resolve().relative_to(self.root.resolve())
        return "/" + rel.as_posix() if str(rel) != "." else "/"

    def remove_tree(self, path: str) -> None:
        target = self.host(path)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
