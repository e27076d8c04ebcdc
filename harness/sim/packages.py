"""Sim packages (zip + ``manifest.json``) and the device's package database."""

from __future__ import annotations

import io
import json
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: Java package names as Android accepts them: at least two dot-separated segments.
PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
#: Activity class names: a Java class name, fully qualified or starting with '.'.
CLASS_RE = re.compile(r"^\.?[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
PERMISSION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
MAX_PACKAGE_BYTES = 512 * 1024 * 1024


def valid_package(name: str) -> bool:
    return len(name) <= 255 and PACKAGE_RE.match(name) is not None


class InstallFailure(Exception):
    """``pm install`` answers ``Failure [CODE: detail]``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"Failure [{code}: {detail}]")
        self.code = code
        self.detail = detail


class SimManifest(BaseModel):
    """``manifest.json`` at the root of a sim package (docs/internals.md)."""

    model_config = ConfigDict(extra="forbid")

    format: int = Field(ge=1, le=1)
    package: str
    label: str = Field(max_length=200)
    version_name: str = Field(max_length=100, pattern=r"^\S+$")
    version_code: int = Field(ge=0)
    main_activity: str
    permissions: list[str] = Field(default_factory=list)
    #: ``android:debuggable``. Sim apps are debuggable unless they say otherwise (as a
    #: debug build is); on a ``user`` image (the ``google`` profile) only debuggable apps
    #: can be started waiting for a debugger (``am start -D``).
    debuggable: bool = True

    @field_validator("package")
    @classmethod
    def _package(cls, value: str) -> str:
        if not valid_package(value):
            raise ValueError("not a Java package name")
        return value

    @field_validator("main_activity")
    @classmethod
    def _activity(cls, value: str) -> str:
        if not CLASS_RE.match(value):
            raise ValueError("not a Java class name")
        return value

    @field_validator("permissions")
    @classmethod
    def _permissions(cls, value: list[str]) -> list[str]:
        for perm in value:
            if not PERMISSION_RE.match(perm):
                raise ValueError(f"not a permission name: {perm!r}")
        return value

    def activity_class(self, name: str | None = None) -> str:
        act = name or self.main_activity
        return self.package + act if act.startswith(".") else act


@dataclass
class Installed:
    manifest: SimManifest
    app_dir: Path
    first_install: float
    last_update: float
    grants: set[str] = field(default_factory=set)
    system: bool = False

    @property
    def package(self) -> str:
        return self.manifest.package


def read_package(data: bytes) -> tuple[SimManifest, zipfile.ZipFile]:
    """Check a package's bytes; raise :class:`InstallFailure` like ``pm`` would."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise InstallFailure("INSTALL_FAILED_INSUFFICIENT_STORAGE", "package too large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InstallFailure("INSTALL_FAILED_INVALID_APK",
                             "Failed to parse package: not a zip archive") from exc
    try:
        raw = archive.read("manifest.json")
    except KeyError as exc:
        raise InstallFailure(
            "INSTALL_FAILED_INVALID_APK",
            "not a sim package: no manifest.json (this simulated device runs sim packages, "
            "not Android APKs)") from exc
    try:
        manifest = SimManifest.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        first = str(exc).splitlines()
        summary = "; ".join(line.strip() for line in first[:3])
        raise InstallFailure("INSTALL_FAILED_INVALID_APK",
                             f"bad manifest.json: {summary}") from exc
    for member in archive.infolist():
        name = member.filename
        if name.startswith("/") or ".." in Path(name).parts or "\\" in name:
            raise InstallFailure("INSTALL_FAILED_INVALID_APK", f"unsafe entry name {name!r}")
    return manifest, archive


class PackageDB:
    """Installed packages of one device; their files live under ``/data/app``."""

    def __init__(self, app_root: Path, data_root: Path) -> None:
        self.app_root = app_root
        self.data_root = data_root
        self.packages: dict[str, Installed] = {}

    def get(self, name: str) -> Installed | None:
        return self.packages.get(name)

    def data_dir(self, name: str) -> Path:
        return self.data_root / name

    def install(self, data: bytes, grant_all: bool = False) -> Installed:
        manifest, archive = read_package(data)
        pkg = manifest.package
        app_dir = self.app_root / pkg
        staging = self.app_root / f".{pkg}.staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with archive:
            archive.extractall(staging)
        (staging / "base.apk").write_bytes(data)
        shutil.rmtree(app_dir, ignore_errors=True)
        staging.rename(app_dir)
        now = time.time()
        old = self.packages.get(pkg)
        grants = set(old.grants) & set(manifest.permissions) if old else set()
        if grant_all:
            grants = set(manifest.permissions)
        entry = Installed(manifest, app_dir, old.first_install if old else now, now, grants)
        self.packages[pkg] = entry
        self.ensure_data_dir(pkg)
        return entry

    def ensure_data_dir(self, pkg: str) -> Path:
        data_dir = self.data_dir(pkg)
        (data_dir / "shared_prefs").mkdir(parents=True, exist_ok=True)
        (data_dir / "files").mkdir(exist_ok=True)
        (data_dir / "cache").mkdir(exist_ok=True)
        return data_dir

    def clear_data(self, pkg: str) -> None:
        shutil.rmtree(self.data_dir(pkg), ignore_errors=True)
        self.ensure_data_dir(pkg)

    def uninstall(self, pkg: str) -> None:
        self.packages.pop(pkg, None)
        shutil.rmtree(self.app_root / pkg, ignore_errors=True)
        shutil.rmtree(self.data_dir(pkg), ignore_errors=True)
