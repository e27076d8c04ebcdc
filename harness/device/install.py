"""Installing split APKs (base + config/feature splits, as app stores deliver them).

``pm install-create`` / ``install-write`` / ``install-commit``, what ``adb
install-multiple`` does, with the files pushed to /data/local/tmp first so it works
on every shell protocol. A failed session is abandoned, never left half-written.
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from harness.device.core import DeviceCore
from harness.device.parse import parse_install_session
from harness.errors import DeviceError


class InstalledApks(NamedTuple):
    """What :meth:`InstallMixin.install_apks` installed."""

    package: str | None
    apks: list[str]


class InstallMixin(DeviceCore):
    def install_apks(self, sources: Sequence[str | Path], *, timeout: float = 180.0
                     ) -> InstalledApks:
        """Install one app from what a scenario's ``apk:`` or ``check`` names: APKs,
        folders of APKs, APK sets (:mod:`harness.device.apkset`). Returns its package (from
        the base's manifest: also when it was installed already) and the names of the APKs
        installed, base first. InputError before anything is installed when they are not
        one app's APKs."""
        from harness.device.apkinfo import apk_identity
        from harness.device.apkset import expand_apks

        with tempfile.TemporaryDirectory(prefix="harness-apks-") as tmp:
            files = expand_apks([Path(s) for s in sources], Path(tmp))
            package = apk_identity(files[0]).package if files else None
            try:
                self.install_multiple(files, timeout=timeout)
            except DeviceError as exc:
                if "INSTALL_FAILED_MISSING_SPLIT" not in str(exc):
                    raise
                raise DeviceError(
                    f"{exc} — this app is delivered as split APKs: give its base and "
                    "split APKs (a list under `apk:`, several files to `check`), a folder "
                    "of them, or its .apks set") from exc
            return InstalledApks(package, [f.name for f in files])

    def install_multiple(self, paths: Sequence[str | Path], *, timeout: float = 180.0) -> None:
        """Install one app from several APKs (its base and its splits). A single APK
        goes through :meth:`install`."""
        files = [Path(p) for p in paths]
        if not files:
            raise DeviceError("install_multiple: no APK given")
        for f in files:
            if not f.is_file():
                raise DeviceError(f"cannot install {f}: not a file")
        if len(files) == 1:
            self.install(files[0], timeout=timeout)
            return
        total = sum(f.stat().st_size for f in files)
        created = self.shell(["pm", "install-create", "-r", "-t", "-S", str(total)])
        session = parse_install_session(created.stdout)
        if not created.ok or session is None:
            raise DeviceError(
                f"{self.serial}: this device cannot install split APKs "
                f"(pm install-create: {created.output.strip()[-300:] or created.exit_code})"
            )
        remote: list[str] = []
        try:
            for index, f in enumerate(files):
                target = f"/data/local/tmp/harness-{uuid.uuid4().hex[:12]}.apk"
                self.push(f, target)
                remote.append(target)
                written = self.shell(
                    [
                        "pm",
                        "install-write",
                        "-S",
                        str(f.stat().st_size),
                        str(session),
                        f"{index}_split.apk",
                        target,
                    ],
                    timeout=timeout,
                )
                if not written.ok or "Success" not in written.stdout:
                    raise DeviceError(
                        f"{self.serial}: writing {f.name} into install session {session} "
                        f"failed: {written.output.strip()[-300:]}"
                    )
            committed = self.shell(["pm", "install-commit", str(session)], timeout=timeout)
            if not committed.ok or "Success" not in committed.stdout:
                raise DeviceError(
                    f"{self.serial}: install of {', '.join(f.name for f in files)} failed: "
                    f"{committed.output.strip()[-500:]}"
                )
            session = None  # committed: nothing to abandon
        finally:
            if session is not None:
                with contextlib.suppress(DeviceError):
                    self.shell(["pm", "install-abandon", str(session)])
            for target in remote:
                with contextlib.suppress(DeviceError):
                    self.shell(["rm", "-f", target])
