"""The layouts of an APK source (pure: the zip listing only, no device, no parsing), shared
by the scenario loader (``apk:`` is checked when a scenario is read) and
:mod:`harness.device.apkset` (which expands a source for install). See that module."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

_LAYOUTS = ("an APK, a folder of APKs, bundletool's .apks (toc.pb + splits/*.apk or "
            "universal.apk) or a zip of .apk files")


def source_problem(path: Path) -> str | None:
    """Why ``path`` is not an APK source (None: it is one). Reads only the zip listing."""
    if path.is_dir():
        return None if any(apks_in(path)) else "a folder with no .apk file in it"
    if not path.is_file():
        return "no such file or folder"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return f"not an APK (not a valid zip file: {exc})"
    if is_apk(names) or set_members(names):
        return None
    if "toc.pb" in names:
        return ("a bundletool APK set with neither universal.apk nor splits/ (standalone "
                "APKs only: give the one for the device)")
    return f"neither an APK nor a set of APKs; expected {_LAYOUTS}"


def apks_in(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.suffix.lower() == ".apk" and p.is_file()]


def is_apk(names: list[str]) -> bool:
    return "AndroidManifest.xml" in names or "manifest.json" in names and not any(
        _root_apk(n) for n in names)


def _root_apk(name: str) -> bool:
    return "/" not in name and name.lower().endswith(".apk")


def set_members(names: list[str]) -> list[str]:
    """The APKs to install from an APK set's listing (empty: not a known layout)."""
    if "toc.pb" in names:
        if "universal.apk" in names:
            return ["universal.apk"]
        return sorted(n for n in names
                      if PurePosixPath(n).parent.as_posix() == "splits" and n.endswith(".apk"))
    return sorted(n for n in names if _root_apk(n))
