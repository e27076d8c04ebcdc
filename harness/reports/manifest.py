"""``manifest.json``: SHA-256 and size of every file of a run folder, and its check.

The manifest makes a run folder *tamper-evident*: ``verify_manifest`` finds every file
that was changed, deleted or added since the manifest was written. A manifest cannot
vouch for itself — whoever edits a file can rewrite the manifest too — so its own
SHA-256 (:func:`manifest_digest`, printed by ``consent-harness run`` and ``verify``) is
the *detached digest*: a reviewer records it outside the folder (a ticket, an e-mail to
the regulator) and later passes it to ``verify --digest`` to prove the manifest itself
is the one written at the time.

Or the manifest is **signed** (:func:`sign_manifest`): an Ed25519 signature of the exact
bytes of ``manifest.json``, in ``manifest.json.sig`` beside it (not listed in the
manifest, which it signs). ``verify --pubkey KEY`` checks it against the signer's public
key, so a rewritten manifest is caught without keeping a digest anywhere. Keys are PEM
files (:func:`generate_key_pair`, ``consent-harness keygen``).

A folder handed to ``verify`` may come from anyone: the manifest and the signature file
are read with size and nesting limits and every field is type-checked, so a hostile
file ends in a problem line, never a crash.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from harness import __version__
from harness.errors import InputError
from harness.reports.folder import MANIFEST

MANIFEST_FORMAT = 1
#: The signature of manifest.json (written after it, never listed in it).
SIGNATURE = MANIFEST + ".sig"
SIGNATURE_FORMAT = 1
_CHUNK = 1 << 20
#: Larger than any real manifest (a line per file) or signature; read no further.
MAX_MANIFEST_BYTES = 64 << 20
MAX_SIGNATURE_BYTES = 64 << 10
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


# -- signatures ---------------------------------------------------------------------------

SignatureState = Literal["unsigned", "valid", "unchecked", "invalid", "wrong_key"]


@dataclass(frozen=True)
class SignatureStatus:
    """What ``manifest.json.sig`` says about ``manifest.json``.

    * ``unsigned`` — no signature file;
    * ``valid`` — signed by the key given to :func:`verify_signature`;
    * ``unchecked`` — a signature that holds for the public key it names, but no key was
      given to check *who* signed (anyone can sign with a key of their own);
    * ``invalid`` — the signature does not hold (manifest or signature changed) or the
      signature file is malformed;
    * ``wrong_key`` — a valid signature, by another key than the one given.
    """

    state: SignatureState
    detail: str
    #: SHA-256 of the signer's raw public key, as recorded in the signature file.
    key_sha256: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the signature shows tampering (or the wrong signer)."""
        return self.state in ("unsigned", "valid", "unchecked")


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """Hex SHA-256 of the raw 32-byte public key: how a reviewer names a signer."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def generate_key_pair(private_path: str | Path, public_path: str | Path | None = None) -> str:
    """Write a new Ed25519 key pair as PEM files; return the public key's fingerprint.

    The private key (PKCS#8, unencrypted, mode 0600) goes to ``private_path``, the public
    key (SubjectPublicKeyInfo) to ``public_path`` (default: ``<private>.pub``). Existing
    files are never overwritten.
    """
    private = Path(private_path)
    public = (
        Path(public_path) if public_path is not None else private.with_name(private.name + ".pub")
    )
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pub = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for target in (private, public):
        if target.exists() or target.is_symlink():
            raise InputError("exists already; choose another name", path=str(target))
    try:
        fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        fd = os.open(public, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pub)
    except OSError as exc:
        raise InputError(f"cannot write the key: {exc.strerror}", path=exc.filename) from exc
    return key_fingerprint(key.public_key())


def _read_key_file(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SIGNATURE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the key: {exc.strerror}", path=str(path)) from exc
    if len(data) > MAX_SIGNATURE_BYTES:
        raise InputError("too large for a PEM key file", path=str(path))
    return data


def load_private_key(path: str | Path, password: bytes | None = None) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file (InputError saying what is wrong)."""
    where = Path(path)
    data = _read_key_file(where)
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError as exc:  # encrypted without a password, or a password not needed
        raise InputError(f"cannot use this key: {exc}", path=str(where)) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InputError(
            "not a PEM private key (make one with `consent-harness keygen KEY`)", path=str(where)
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            f"a {type(key).__name__.removesuffix('PrivateKey').removeprefix('_')} key; "
            "manifests are signed with Ed25519 keys",
            path=str(where),
        )
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file (a private key file is accepted too)."""
    where = Path(path)
    data = _read_key_file(where)
    try:
        key: Any = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        try:
            key = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise InputError(
                "not a PEM public key (the KEY.pub that `consent-harness keygen` wrote)",
                path=str(where),
            ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("not an Ed25519 key; manifests are signed with Ed25519", path=str(where))
    return key


def sign_manifest(
    folder: str | Path, key_path: str | Path, *, password: bytes | None = None
) -> SignatureStatus:
    """Sign ``DIR/manifest.json`` with the Ed25519 private key in ``key_path`` (PEM).

    Writes ``DIR/manifest.json.sig``; call it right after :func:`write_manifest`. Returns
    the (``valid``) status with the signer's fingerprint, for the run's output.
    """
    root = Path(folder)
    key = load_private_key(key_path, password)
    mpath = root / MANIFEST
    if mpath.is_symlink() or not mpath.is_file():
        raise InputError(f"not a run folder: no {MANIFEST}", path=str(root))
    signed = mpath.read_bytes()
    public = key.public_key()
    record = {
        "format": SIGNATURE_FORMAT,
        "algorithm": "ed25519",
        "signed_file": MANIFEST,
        "signed_sha256": hashlib.sha256(signed).hexdigest(),
        "public_key": base64.b64encode(
            public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        ).decode("ascii"),
        "public_key_sha256": key_fingerprint(public),
        "signature": base64.b64encode(key.sign(signed)).decode("ascii"),
    }
    (root / SIGNATURE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return SignatureStatus("valid", "signed", key_fingerprint(public))


def verify_signature(folder: str | Path, pubkey: str | Path | None = None) -> SignatureStatus:
    """Check ``DIR/manifest.json.sig`` (see :class:`SignatureStatus`).

    ``pubkey``: the PEM public key of the expected signer. Raises InputError only for a
    bad ``pubkey`` file; everything wrong inside the folder is a status.
    """
    root = Path(folder)
    expected = load_public_key(pubkey) if pubkey is not None else None
    spath = root / SIGNATURE
    if not spath.exists() and not spath.is_symlink():
        return SignatureStatus("unsigned", "not signed")
    if spath.is_symlink() or not spath.is_file():
        return SignatureStatus("invalid", f"{SIGNATURE} is not a regular file")
    try:
        data = _read_json(spath, MAX_SIGNATURE_BYTES)
    except ValueError as exc:
        return SignatureStatus("invalid", f"{SIGNATURE}: {exc}")
    except OSError as exc:
        return SignatureStatus("invalid", f"{SIGNATURE}: cannot read: {exc.strerror}")
    fields = data if isinstance(data, dict) else {}
    if fields.get("format") != SIGNATURE_FORMAT or fields.get("algorithm") != "ed25519":
        return SignatureStatus(
            "invalid",
            f"{SIGNATURE}: expected format {SIGNATURE_FORMAT} and algorithm ed25519",
        )
    try:
        raw_key = base64.b64decode(str(fields.get("public_key")), validate=True)
        signature = base64.b64decode(str(fields.get("signature")), validate=True)
        signer = Ed25519PublicKey.from_public_bytes(raw_key)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return SignatureStatus("invalid", f"{SIGNATURE}: malformed public_key or signature")
    fingerprint = key_fingerprint(signer)
    try:
        signer.verify(signature, (root / MANIFEST).read_bytes())
    except InvalidSignature:
        return SignatureStatus(
            "invalid",
            f"the signature does not match {MANIFEST} (the manifest or its signature changed)",
            fingerprint,
        )
    except OSError as exc:
        return SignatureStatus("invalid", f"cannot read {MANIFEST}: {exc.strerror}", fingerprint)
    if expected is None:
        return SignatureStatus(
            "unchecked",
            f"signed by key sha256:{fingerprint}; pass --pubkey to check it is the expected signer",
            fingerprint,
        )
    wanted = key_fingerprint(expected)
    if wanted != fingerprint:
        return SignatureStatus(
            "wrong_key",
            f"signed by key sha256:{fingerprint}, not by the given key sha256:{wanted}",
            fingerprint,
        )
    return SignatureStatus("valid", f"valid, signed by key sha256:{fingerprint}", fingerprint)
