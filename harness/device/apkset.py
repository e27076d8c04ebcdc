"""Which APK files make up the app under test, as a scenario's ``apk:`` or ``check`` name it.

A source is one of:

* an APK (a zip with ``AndroidManifest.xml``, or a sim package's ``manifest.json``);
* a folder: every ``*.apk`` directly in it;
* an APK set, a zip of APKs: bundletool's ``.apks`` (``toc.pb`` beside ``splits/*.apk``
  and ``standalones/*.apk``; ``universal.apk`` with ``--mode=universal``) or a plain zip
  with ``*.apk`` at its root (``.xapk`` / ``.apkm``-style).

Several sources are one app: exactly one base APK (its manifest has no ``split``), the
others its splits; :func:`expand_apks` returns them base first. From a bundletool set
the universal APK is taken when there is one, else every split (bundletool's own
``install-apks`` would pick those matching the device; Android accepts them all).

An APK set is hostile input: only ``*.apk`` members are taken, under their base name,
size-bounded; any other layout is an :class:`~harness.errors.InputError` naming the file.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from harness.apklayout import apks_in, is_apk, set_members, source_problem
from harness.device.apkinfo import ApkIdentity, apk_identity
from harness.errors import InputError

#: Largest APK taken out of an APK set (bounded disk use for a hostile zip).
MAX_MEMBER = 4 << 30


def check_sources(sources: Sequence[Path]) -> None:
    """InputError (naming the file) for the first source that is no APK source."""
    if not sources:
        raise InputError("no APK given")
    for path in sources:
        problem = source_problem(path)
        if problem is not None:
            raise InputError(problem, path=str(path))


def expand_apks(sources: Sequence[Path], work: Path) -> list[Path]:
    """The APK files of ``sources``, base first, then its splits by split name. Members
    of APK sets are copied into ``work``. InputError when they are not one app's APKs."""
    check_sources(sources)
    files: list[Path] = []
    for index, path in enumerate(sources):
        if path.is_dir():
            files += sorted(apks_in(path))
            continue
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if is_apk(names):
                files.append(path)
                continue
            dest = work / f"set{index}"
            dest.mkdir(parents=True, exist_ok=True)
            files += [_extract(archive, name, dest, path) for name in set_members(names)]
    return base_first(files)


def base_first(files: Sequence[Path]) -> list[Path]:
    """One app's APKs ordered base first (InputError: no base, two bases, mixed apps)."""
    idents: list[tuple[Path, ApkIdentity]] = [(f, apk_identity(f)) for f in files]
    bases = [(f, i) for f, i in idents if i.split is None]
    names = ", ".join(f.name for f in files)
    if not bases:
        what = "is a split" if len(files) == 1 else "are all splits"
        raise InputError(f"no base APK: {names} {what} (give the app's base APK too)")
    if len(bases) > 1:
        raise InputError(
            f"several base APKs ({', '.join(f.name for f, _ in bases)}): give one app's "
            "base APK and its splits")
    base, base_id = bases[0]
    if not base_id.package:
        raise InputError("not an APK: its package name cannot be read", path=str(base))
    splits = sorted(((f, i) for f, i in idents if i.split is not None),
                    key=lambda pair: pair[1].split or "")
    for f, ident in splits:
        if ident.package != base_id.package:
            raise InputError(f"a split of {ident.package}, not of {base_id.package} "
                             f"(the base, {base.name})", path=str(f))
    return [base, *(f for f, _ in splits)]


def _extract(archive: zipfile.ZipFile, name: str, dest: Path, source: Path) -> Path:
    info = archive.getinfo(name)
    if info.flag_bits & 0x1 or info.file_size > MAX_MEMBER:
        raise InputError(f"{name} inside is encrypted or too large", path=str(source))
    target = dest / PurePosixPath(name).name
    if target.exists():
        raise InputError(f"two members named {target.name}", path=str(source))
    try:
        with archive.open(info) as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"cannot read {name} inside: {exc}", path=str(source)) from exc
    return target
