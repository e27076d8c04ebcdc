"""``manifest.json``: SHA-256 and size of every file of a run folder, and its check.

The manifest makes a run folder *tamper-evident*: ``verify_manifest`` finds every file
that was changed, deleted or added since the manifest was written. A manifest cannot
vouch for itself — whoever edits a file can rewrite the manifest too — so its own
SHA-256 (:func:`manifest_digest`, printed by ``consent-harness run`` and ``verify``) is
the *detached digest*: a reviewer records it outside the folder (a ticket, an e-mail to
the regulator) and later passes it to ``verify --digest`` to prove the manifest itself
is the one written at the time.

Or the manifest is **signed** (:mod:`harness.reports.signing`): an Ed25519 signature in
``manifest.json.sig`` beside it, which this module neither lists nor keeps once the
manifest is rewritten.

A folder handed to ``verify`` may come from anyone: the manifest and the signature file
are read with size and nesting limits and every field is type-checked, so a hostile
file ends in a problem line, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from harness import __version__
from harness.errors import InputError
from harness.reports.folder import MANIFEST

MANIFEST_FORMAT = 1
#: The signature of manifest.json (written after it, never listed in it).
SIGNATURE = MANIFEST + ".sig"
_CHUNK = 1 << 20
#: Larger than any real manifest (a line per file); read no further.
MAX_MANIFEST_BYTES = 64 << 20
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")

#: ``manifest``: the manifest is not the one recorded (--digest); ``malformed``: it is not
#: a manifest this consent-harness can read (bad JSON, too big or deep, wrong types).
ProblemKind = Literal["missing", "changed", "extra", "unsafe", "manifest", "malformed"]


@dataclass(frozen=True)
class ManifestProblem:
    """One way the folder differs from its manifest."""

    kind: ProblemKind
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}: {self.detail}"


def sha256_file(path: Path) -> tuple[str, int]:
    """(hex SHA-256, size in bytes) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def manifest_digest(folder: str | Path) -> str:
    """Hex SHA-256 of ``DIR/manifest.json`` — the detached digest to keep elsewhere."""
    return sha256_file(Path(folder) / MANIFEST)[0]


def _walk_files(root: Path) -> tuple[list[str], list[str]]:
    """(regular files, anything else: symlinks, fifos…) under root, as sorted posix paths.

    Symlinks are never followed: one could point outside the folder.
    """
    files: list[str] = []
    odd: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for d in list(dirnames):
            if (base / d).is_symlink():
                dirnames.remove(d)
                odd.append((base / d).relative_to(root).as_posix())
        for name in filenames:
            full = base / name
            rel = full.relative_to(root).as_posix()
            mode = full.lstat().st_mode
            (files if stat.S_ISREG(mode) else odd).append(rel)
    return sorted(files), sorted(odd)


def write_manifest(folder: str | Path, *, created_at: str | None = None) -> str:
    """Write ``DIR/manifest.json`` over every other file; return its hex SHA-256.

    Call it last: a file written afterwards shows up as ``extra`` in the check.
    """
    root = Path(folder)
    files, odd = _walk_files(root)
    odd += [rel for rel in files if not _utf8(rel)]
    if odd:
        raise InputError(
            "cannot seal a run folder holding symlinks, special files or names that are "
            f"not UTF-8: {', '.join(_shown(rel) for rel in odd)}",
            path=str(root),
        )
    entries = []
    for rel in files:
        if rel in (MANIFEST, SIGNATURE):
            continue
        sha, size = sha256_file(root / rel)
        entries.append({"path": rel, "sha256": sha, "size": size})
    manifest = {
        "format": MANIFEST_FORMAT,
        "tool": "consent-harness",
        "harness_version": __version__,
        "created_at": created_at or _now(),
        "algorithm": "sha256",
        "files": entries,
    }
    # A signature of an earlier manifest would no longer hold: it goes with it.
    (root / SIGNATURE).unlink(missing_ok=True)
    (root / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest_digest(root)


def _utf8(text: str) -> bool:
    """False for a file name holding bytes that are not UTF-8 (surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _safe_rel(rel: object) -> str | None:
    """A manifest path that stays inside the folder, or None."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return None
    if not _utf8(rel):  # lone surrogates ("\\ud800" in JSON) name no file
        return None
    p = PurePosixPath(rel)
    if p.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")):
        return None
    if ":" in p.parts[0]:  # a Windows drive letter
        return None
    return rel


def _read_json(path: Path, limit: int) -> Any:
    """Parsed JSON of a file no larger than ``limit``; ValueError says what is wrong."""
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(f"larger than {limit >> 10} KiB")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 ({exc.reason})") from exc
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from exc


def _load(root: Path) -> tuple[dict[str, Any] | None, list[ManifestProblem]]:
    path = root / MANIFEST
    try:
        data = _read_json(path, MAX_MANIFEST_BYTES)
    except ValueError as exc:
        return None, [ManifestProblem("malformed", MANIFEST, str(exc))]
    except OSError as exc:
        return None, [ManifestProblem("malformed", MANIFEST, f"cannot read: {exc.strerror}")]
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None, [ManifestProblem("malformed", MANIFEST, "no 'files' list")]
    if data.get("format") != MANIFEST_FORMAT:
        return None, [
            ManifestProblem(
                "malformed",
                MANIFEST,
                f"unknown manifest format {_shown(data.get('format'))} (this consent-harness "
                f"reads format {MANIFEST_FORMAT})",
            )
        ]
    return data, []


def _shown(value: object) -> str:
    """A short, printable rendering of a hostile value (ASCII, surrogates escaped)."""
    text = ascii(value)
    return text if len(text) <= 80 else text[:77] + "..."


def verify_manifest(folder: str | Path, *, digest: str | None = None) -> list[ManifestProblem]:
    """Every difference between a run folder and its ``manifest.json``; [] = intact.

    ``digest``: the detached SHA-256 of the manifest recorded at the time; when given, a
    rewritten manifest is reported too. Raises :class:`InputError` when ``folder`` is not
    a run folder (no directory, or no ``manifest.json``).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a directory", path=str(root))
    mpath = root / MANIFEST
    if mpath.is_symlink() or not mpath.is_file():
        raise InputError(f"not a run folder: no {MANIFEST}", path=str(root))

    problems: list[ManifestProblem] = []
    if digest is not None:
        wanted = digest.strip().lower()
        if not _HEX64.fullmatch(wanted):
            raise InputError(
                f"--digest must be the 64 hex digits of a SHA-256, got {_shown(digest)}"
                " (copy the whole manifest sha256 that run or check printed)"
            )
        actual = manifest_digest(root)
        if actual != wanted:
            problems.append(
                ManifestProblem("manifest", MANIFEST, f"SHA-256 is {actual}, expected {wanted}")
            )
    data, load_problems = _load(root)
    if data is None:
        return problems + load_problems

    expected: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(data["files"]):
        rel = _safe_rel(entry.get("path")) if isinstance(entry, dict) else None
        if rel is None or not _good_entry(entry):
            shown = entry.get("path") if isinstance(entry, dict) else entry
            problems.append(
                ManifestProblem(
                    "malformed",
                    MANIFEST,
                    f"files[{i}]: bad entry {_shown(shown)} (expected a path inside the "
                    "folder, a 64-hex sha256 and a size)",
                )
            )
            continue
        if rel in expected:
            problems.append(ManifestProblem("malformed", MANIFEST, f"{rel} listed twice"))
        expected[rel] = entry

    files, odd = _walk_files(root)
    present = set(files) - {MANIFEST, SIGNATURE}
    for rel in odd:
        problems.append(ManifestProblem("unsafe", rel, "symlink or special file"))
    odd_set = set(odd)
    for rel, entry in sorted(expected.items()):
        if rel not in present:
            if rel not in odd_set:
                problems.append(ManifestProblem("missing", rel, "listed in the manifest, absent"))
            continue
        sha, size = sha256_file(root / rel)
        if sha != entry["sha256"].lower():
            problems.append(
                ManifestProblem(
                    "changed",
                    rel,
                    f"SHA-256 {sha} != {entry['sha256']} (size {size}, listed {entry.get('size')})",
                )
            )
        elif entry.get("size") is not None and entry.get("size") != size:
            problems.append(
                ManifestProblem("changed", rel, f"size {size} != listed {entry.get('size')}")
            )
    for rel in sorted(present - set(expected)):
        problems.append(ManifestProblem("extra", rel, "not in the manifest"))
    return problems


def _good_entry(entry: dict[str, Any]) -> bool:
    sha = entry.get("sha256")
    size = entry.get("size")
    return (
        isinstance(sha, str)
        and _HEX64.fullmatch(sha) is not None
        and (size is None or (isinstance(size, int) and not isinstance(size, bool) and size >= 0))
    )


def manifest_file_count(folder: str | Path) -> int:
    """How many files the manifest lists (for the OK line of ``verify``)."""
    data, _ = _load(Path(folder))
    return len(data["files"]) if data else 0
