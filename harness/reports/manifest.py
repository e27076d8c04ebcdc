"""``manifest.json``: SHA-256 and size of every file of a run folder, and its check.

The manifest makes a run folder *tamper-evident*: ``verify_manifest`` finds every file
that was changed, deleted or added since the manifest was written. A manifest cannot
vouch for itself — whoever edits a file can rewrite the manifest too — so its own
SHA-256 (:func:`manifest_digest`, printed by ``consent-harness run`` and ``verify``) is
the *detached digest*: a reviewer records it outside the folder (a ticket, an e-mail to
the regulator) and later passes it to ``verify --digest`` to prove the manifest itself
is the one written at the time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from harness import __version__
from harness.errors import InputError
from harness.reports.folder import MANIFEST

MANIFEST_FORMAT = 1
_CHUNK = 1 << 20

ProblemKind = Literal["missing", "changed", "extra", "unsafe", "manifest"]


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
    if odd:
        raise InputError(
            f"cannot seal a run folder holding symlinks or special files: {', '.join(odd)}",
            path=str(root),
        )
    entries = []
    for rel in files:
        if rel == MANIFEST:
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
    (root / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest_digest(root)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _safe_rel(rel: object) -> str | None:
    """A manifest path that stays inside the folder, or None."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return None
    p = PurePosixPath(rel)
    if p.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")):
        return None
    if ":" in p.parts[0]:  # a Windows drive letter
        return None
    return rel


def _load(root: Path) -> tuple[dict[str, Any] | None, list[ManifestProblem]]:
    path = root / MANIFEST
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [ManifestProblem("manifest", MANIFEST, f"not valid JSON: {exc}")]
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None, [ManifestProblem("manifest", MANIFEST, "no 'files' list")]
    if data.get("format") != MANIFEST_FORMAT:
        return None, [
            ManifestProblem(
                "manifest",
                MANIFEST,
                f"unknown manifest format {data.get('format')!r} (this consent-harness "
                f"reads format {MANIFEST_FORMAT})",
            )
        ]
    return data, []


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
        actual = manifest_digest(root)
        if actual.lower() != digest.strip().lower():
            problems.append(
                ManifestProblem(
                    "manifest", MANIFEST, f"SHA-256 is {actual}, expected {digest.strip()}"
                )
            )
    data, load_problems = _load(root)
    if data is None:
        return problems + load_problems

    expected: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(data["files"]):
        rel = _safe_rel(entry.get("path")) if isinstance(entry, dict) else None
        if rel is None or not isinstance(entry.get("sha256"), str):
            shown = entry.get("path") if isinstance(entry, dict) else entry
            problems.append(
                ManifestProblem("manifest", MANIFEST, f"files[{i}]: bad entry {shown!r}")
            )
            continue
        if rel in expected:
            problems.append(ManifestProblem("manifest", MANIFEST, f"{rel} listed twice"))
        expected[rel] = entry

    files, odd = _walk_files(root)
    present = set(files) - {MANIFEST}
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


def manifest_file_count(folder: str | Path) -> int:
    """How many files the manifest lists (for the OK line of ``verify``)."""
    data, _ = _load(Path(folder))
    return len(data["files"]) if data else 0
