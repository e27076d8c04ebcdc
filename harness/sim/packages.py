"""Sim packages (zip + ``manifest.json``) and the device's package database.

An app can come as several APKs (split APKs, as app stores deliver them): one base and
splits whose ``manifest.json`` names the split (``"split": "config.x86_64"``, Android's
``<manifest split=…>``). A split's files join the base's in the app's folder (one class
path, as config splits share the base's class loader); the device keeps each APK as
``base.apk`` / ``split_<name>.apk``, the names Android gives them.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

#: Java package names as Android accepts them: at least two dot-separated segments.
PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
#: Activity class names: a Java class name, fully qualified or starting with '.'.
CLASS_RE = re.compile(r"^\.?[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
PERMISSION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
#: Split names as bundletool makes them (``config.x86_64``, ``config.xxhdpi``, ``feature1``).
SPLIT_RE = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$")
MAX_PACKAGE_BYTES = 512 * 1024 * 1024


def valid_package(name: str) -> bool:
    return len(name) <= 255 and PACKAGE_RE.match(name) is not None


class InstallFailure(Exception):
    """``pm install`` answers ``Failure [CODE: detail]``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"Failure [{code}: {detail}]")
        self.code = code
        self.detail = detail


class SimService(BaseModel):
    """A ``<service>`` of a sim package's manifest (docs/internals.md)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=255, pattern=r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$")
    #: ``android:process``: ``:name`` (private to the app) or None (the main process)
    process: str | None = Field(None, pattern=r"^:[a-z][a-z0-9_]{0,30}$")

    def process_name(self, package: str) -> str:
        return package if self.process is None else package + self.process


def _java_package(value: str) -> str:
    if not valid_package(value):
        raise ValueError("not a Java package name")
    return value


#: A manifest's package name (base and split manifests alike).
PackageName = Annotated[str, AfterValidator(_java_package)]


class SimManifest(BaseModel):
    """``manifest.json`` at the root of a sim package (docs/internals.md)."""

    model_config = ConfigDict(extra="forbid")

    format: int = Field(ge=1, le=1)
    package: PackageName
    label: str = Field(max_length=200)
    version_name: str = Field(max_length=100, pattern=r"^\S+$")
    version_code: int = Field(ge=0)
    main_activity: str
    permissions: list[str] = Field(default_factory=list)
    #: ``android:debuggable``. Sim apps are debuggable unless they say otherwise (as a
    #: debug build is); on a ``user`` image (the ``google`` profile) only debuggable apps
    #: can be started waiting for a debugger (``am start -D``).
    debuggable: bool = True
    #: ``<application android:isSplitRequired="true">``: the app cannot run from its base
    #: alone, and Android refuses to install it without a split (INSTALL_FAILED_MISSING_SPLIT).
    split_required: bool = False
    #: ``<service android:name android:process>``: a service in a process of its own
    #: (``:push`` → ``<package>:push``); without ``process`` it runs in the main process.
    services: list[SimService] = Field(default_factory=list, max_length=64)

    def process_of(self, service: str) -> str | None:
        """The process a declared service runs in (None: not declared)."""
        for s in self.services:
            if s.name == service:
                return s.process_name(self.package)
        return None

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


class SimSplitManifest(BaseModel):
    """``manifest.json`` of a split APK: the base's package and version, and its name."""

    model_config = ConfigDict(extra="forbid")

    format: int = Field(ge=1, le=1)
    package: PackageName
    split: str = Field(max_length=100)
    version_code: int = Field(ge=0)

    @field_validator("split")
    @classmethod
    def _split(cls, value: str) -> str:
        if not SPLIT_RE.match(value):
            raise ValueError("not a split name")
        return value


@dataclass
class Installed:
    manifest: SimManifest
    app_dir: Path
    first_install: float
    last_update: float
    grants: set[str] = field(default_factory=set)
    system: bool = False
    #: Names of the installed splits, sorted (``pm path`` lists ``split_<name>.apk``).
    splits: list[str] = field(default_factory=list)

    @property
    def package(self) -> str:
        return self.manifest.package


def read_apk(data: bytes) -> tuple[SimManifest | SimSplitManifest, zipfile.ZipFile]:
    """Check one APK's bytes (a base or a split); raise :class:`InstallFailure` like
    ``pm`` would."""
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
        parsed = json.loads(raw)
        manifest: SimManifest | SimSplitManifest = (
            SimSplitManifest.model_validate(parsed)
            if isinstance(parsed, dict) and "split" in parsed
            else SimManifest.model_validate(parsed))
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


def read_package(data: bytes) -> tuple[SimManifest, zipfile.ZipFile]:
    """Check a base APK's bytes (a split alone is refused as Android refuses it)."""
    manifest, archive = read_apk(data)
    if isinstance(manifest, SimSplitManifest):
        archive.close()
        raise _no_base()
    return manifest, archive


def _no_base() -> InstallFailure:
    return InstallFailure("INSTALL_FAILED_INVALID_APK", "Full install must include a base package")


@dataclass
class _Staged:
    name: str
    data: bytes
    manifest: SimManifest | SimSplitManifest
    archive: zipfile.ZipFile

    @property
    def split(self) -> str:
        return self.manifest.split if isinstance(self.manifest, SimSplitManifest) else ""


def check_session(apks: Sequence[tuple[str, bytes]]) -> SimManifest:
    """The base manifest of an install session's APKs (``name`` → bytes), after the
    checks of Android's ``PackageInstallerSession.validateApkInstallLocked``, with its
    messages: one package and version, no split twice, a base, a required split."""
    base, splits = _stage(apks)
    for staged in (base, *splits):
        staged.archive.close()
    assert isinstance(base.manifest, SimManifest)
    return base.manifest


def _stage(apks: Sequence[tuple[str, bytes]]) -> tuple[_Staged, list[_Staged]]:
    if not apks:
        raise InstallFailure("INSTALL_FAILED_INVALID_APK", "No packages staged")
    if sum(len(data) for _, data in apks) > MAX_PACKAGE_BYTES:
        raise InstallFailure("INSTALL_FAILED_INSUFFICIENT_STORAGE", "package too large")
    staged = [_Staged(name, data, *read_apk(data)) for name, data in apks]
    try:
        first = staged[0].manifest
        seen: set[str] = set()
        for apk in staged:
            m = apk.manifest
            if m.package != first.package:
                raise InstallFailure("INSTALL_FAILED_INVALID_APK",
                                     f"Inconsistent package {m.package} in {apk.name}; "
                                     f"expected {first.package}")
            if m.version_code != first.version_code:
                raise InstallFailure("INSTALL_FAILED_INVALID_APK",
                                     f"Version code {m.version_code} inconsistent with "
                                     f"{first.version_code}")
            if apk.split in seen:
                raise InstallFailure("INSTALL_FAILED_INVALID_APK",
                                     f"Split {apk.split or 'null'} was defined multiple times")
            seen.add(apk.split)
        bases = [a for a in staged if isinstance(a.manifest, SimManifest)]
        if not bases:
            raise _no_base()
        base = bases[0]
        splits = sorted((a for a in staged if a is not base), key=lambda a: a.split)
        assert isinstance(base.manifest, SimManifest)
        if base.manifest.split_required and not splits:
            raise InstallFailure("INSTALL_FAILED_MISSING_SPLIT",
                                 f"Missing split for {base.manifest.package}")
    except InstallFailure:
        for apk in staged:
            apk.archive.close()
        raise
    return base, splits


@dataclass
class InstallSession:
    """``pm install-create``: APKs written into it by name, installed on commit."""

    session_id: int
    grant_all: bool = False
    #: ``install-write`` name → bytes (a name written again replaces the first, as on
    #: Android, which opens the file without O_EXCL).
    files: dict[str, bytes] = field(default_factory=dict)


class PackageDB:
    """Installed packages of one device; their files live under ``/data/app``."""

    def __init__(self, app_root: Path, data_root: Path) -> None:
        self.app_root = app_root
        self.data_root = data_root
        self.packages: dict[str, Installed] = {}
        self.sessions: dict[int, InstallSession] = {}
        self._session_ids = random.Random()

    def get(self, name: str) -> Installed | None:
        return self.packages.get(name)

    def data_dir(self, name: str) -> Path:
        return self.data_root / name

    def install(self, data: bytes, grant_all: bool = False) -> Installed:
        return self.install_apks([("base.apk", data)], grant_all)

    def install_apks(self, apks: Sequence[tuple[str, bytes]],
                     grant_all: bool = False) -> Installed:
        """Install one app from its base and splits (a full install: splits of an
        earlier install are replaced, as Android replaces them)."""
        base, splits = _stage(apks)
        assert isinstance(base.manifest, SimManifest)
        manifest = base.manifest
        pkg = manifest.package
        app_dir = self.app_root / pkg
        staging = self.app_root / f".{pkg}.staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            owner = {m.filename: "base" for m in base.archive.infolist()}
            with base.archive:
                base.archive.extractall(staging)
            (staging / "base.apk").write_bytes(base.data)
            for split in splits:
                with split.archive:
                    _extract_split(split.archive, staging, split.split, owner)
                (staging / f"split_{split.split}.apk").write_bytes(split.data)
        except BaseException:
            for apk in splits:
                apk.archive.close()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(app_dir, ignore_errors=True)
        staging.rename(app_dir)
        now = time.time()
        old = self.packages.get(pkg)
        grants = set(old.grants) & set(manifest.permissions) if old else set()
        if grant_all:
            grants = set(manifest.permissions)
        entry = Installed(manifest, app_dir, old.first_install if old else now, now, grants,
                          splits=[s.split for s in splits])
        self.packages[pkg] = entry
        self.ensure_data_dir(pkg)
        return entry

    def create_session(self, grant_all: bool = False) -> InstallSession:
        # Android's session ids are random positive ints, never reused while open.
        while True:
            sid = self._session_ids.randrange(1, 2**31 - 1)
            if sid not in self.sessions:
                break
        session = InstallSession(sid, grant_all)
        self.sessions[sid] = session
        return session

    def ensure_data_dir(self, pkg: str) -> Path:
        data_dir = self.data_dir(pkg)
        (data_dir / "shared_prefs").mkdir(parents=True, exist_ok=True)
        (data_dir / "files").mkdir(exist_ok=True)
        (data_dir / "cache").mkdir(exist_ok=True)
        return data_dir

    def clear_data(self, pkg: str) -> None:
        shutil.rmtree(self.data_dir(pkg), ignore_errors=True)
        self.ensure_data_dir(pkg)

    def apk_files(self, pkg: str) -> list[str]:
        """File names of an installed app's APKs under its folder: base first."""
        entry = self.packages.get(pkg)
        if entry is None:
            return []
        return ["base.apk", *(f"split_{name}.apk" for name in entry.splits)]

    def uninstall(self, pkg: str) -> None:
        self.packages.pop(pkg, None)
        shutil.rmtree(self.app_root / pkg, ignore_errors=True)
        shutil.rmtree(self.data_dir(pkg), ignore_errors=True)


def _extract_split(archive: zipfile.ZipFile, dest: Path, split: str,
                   owner: dict[str, str]) -> None:
    """A split's files beside the base's (its manifest stays in ``split_<name>.apk``).
    A file both carry would be a class defined twice: refused."""
    for member in archive.infolist():
        name = member.filename
        if name == "manifest.json" or name.endswith("/"):
            continue
        if name in owner:
            raise InstallFailure("INSTALL_FAILED_INVALID_APK",
                                 f"split {split} and {owner[name]} both contain {name}")
        owner[name] = split
        archive.extract(member, dest)


def split_app(data: bytes, split: str = "config.x86_64",
              required: bool = True) -> tuple[bytes, bytes]:
    """A sim package cut in two, as bundletool cuts an app: ``(base, split)``. The split
    carries the app's Application class (``sim.json``), so the base alone does not run
    (as an app whose native libraries are in its ABI split); ``required`` marks the base
    ``split_required`` so the device refuses it alone. For tests and demos."""
    if not SPLIT_RE.match(split):
        raise ValueError(f"not a split name: {split!r}")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    manifest = json.loads(entries["manifest.json"])
    app_class = json.loads(entries.get("sim.json", b"{}")).get("application")
    if not isinstance(app_class, str) or not app_class:
        raise ValueError("the package names no Application class in sim.json")
    moved = f"src/{app_class.replace('.', '/')}.java"
    if moved not in entries:
        raise ValueError(f"the package has no {moved}")
    manifest["split_required"] = required
    base = {**entries, "manifest.json": json.dumps(manifest, indent=1).encode()}
    code = base.pop(moved)
    split_manifest = {"format": 1, "package": manifest["package"], "split": split,
                      "version_code": manifest["version_code"]}
    return _zip(base), _zip({"manifest.json": json.dumps(split_manifest).encode(),
                             moved: code})


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in entries.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
