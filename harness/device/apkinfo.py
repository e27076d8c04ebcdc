"""What was tested: the identity of an APK (file hash, signer, package, label, version).

A reviewer's evidence must name the binary, not just a package name that anyone can
reuse: :func:`apk_identity` reads an APK file, :func:`apk_identity_from_device` pulls the
installed APK of a package (``pm path``) and reads that.

* ``sha256`` — of the whole file;
* ``signing_certs_sha256`` — SHA-256 of each signer's X.509 certificate (DER), what
  ``apksigner verify --print-certs`` shows: from the v3/v2 APK Signing Block when there
  is one (the one Android checks), else from the v1 JAR signature (``META-INF/*.RSA``,
  ``*.DSA``, ``*.EC``: PKCS#7). None of them: ``signed`` is False ("unsigned");
* ``package``, ``version_name``, ``version_code``, ``label`` — from the simulator's
  ``manifest.json`` (docs/internals.md "Sim package") or from the binary
  ``AndroidManifest.xml`` (:mod:`harness.device.axml`: string pool and start elements).
  A label that is a resource reference (``@0x7f0b0001``) cannot be resolved without
  ``resources.arsc`` and is reported as None.

An APK is hostile input: sizes and offsets are checked before they are followed, and
anything malformed is an :class:`~harness.errors.InputError` naming the file — never an
exception from the zip or X.509 code.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from harness.device.axml import read_axml_manifest
from harness.errors import DeviceError, InputError

if TYPE_CHECKING:
    from harness.device.core import DeviceCore

_CHUNK = 1 << 20
#: Largest AndroidManifest.xml / manifest.json / signature file read from an APK.
_MAX_ENTRY = 8 << 20
_SIG_BLOCK_MAGIC = b"APK Sig Block 42"
_SCHEMES = {0x7109871A: "v2", 0xF05368C0: "v3", 0x1B93AD61: "v3.1"}
_V1_SIGNATURE = re.compile(r"^META-INF/[^/]+\.(RSA|DSA|EC)$", re.IGNORECASE)


@dataclass(frozen=True)
class ApkIdentity:
    """The identity of one APK file (see the module doc)."""

    sha256: str
    size: int
    package: str | None = None
    label: str | None = None
    version_name: str | None = None
    version_code: int | None = None
    #: SHA-256 (hex) of each signing certificate, first signer first; empty = unsigned.
    signing_certs_sha256: tuple[str, ...] = ()
    #: Which signature schemes were found: "v1", "v2", "v3", "v3.1".
    signature_schemes: tuple[str, ...] = ()
    #: The split's name (``config.arm64_v8a``) when this APK is a split of an app, not
    #: its base (``<manifest split=…>``); None for a base or a single APK.
    split: str | None = None
    #: Where the package fields came from: "sim-manifest", "android-manifest" or None.
    manifest_source: str | None = None
    #: Things that could not be read (kept, so a report can say what it does not know).
    notes: tuple[str, ...] = field(default=())

    @property
    def signed(self) -> bool:
        return bool(self.signing_certs_sha256)

    @property
    def signer(self) -> str:
        """The first signing certificate's SHA-256, or ``unsigned``."""
        return self.signing_certs_sha256[0] if self.signing_certs_sha256 else "unsigned"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields (for a trace header or a report)."""
        return {
            "sha256": self.sha256,
            "size": self.size,
            "package": self.package,
            "label": self.label,
            "version_name": self.version_name,
            "version_code": self.version_code,
            "signing_certs_sha256": list(self.signing_certs_sha256),
            "signature_schemes": list(self.signature_schemes),
        }


def apk_identity(path: str | Path) -> ApkIdentity:
    """Read the identity of the APK file at ``path`` (InputError when it is not one)."""
    where = Path(path)
    try:
        sha, size = _sha256(where)
        with where.open("rb") as handle:
            block_certs, schemes = _signing_block(handle, size)
        with zipfile.ZipFile(where) as archive:
            return _identity(archive, sha, size, block_certs, schemes)
    except FileNotFoundError as exc:
        raise InputError("no such APK file", path=str(where)) from exc
    except IsADirectoryError as exc:
        raise InputError("a folder, not an APK file", path=str(where)) from exc
    except OSError as exc:
        raise InputError(f"cannot read the APK: {exc.strerror or exc}", path=str(where)) from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        UnicodeDecodeError,
    ) as exc:
        raise InputError(f"not an APK (not a valid zip file: {exc})", path=str(where)) from exc


def apk_identity_from_device(
    device: DeviceCore, package: str, *, work_dir: str | Path | None = None
) -> ApkIdentity:
    """Pull the installed APK of ``package`` (``pm path``: its base APK) and read it.

    ``work_dir``: where the pulled copy goes (a temporary folder, removed after, when
    None). Raises DeviceError when the package is not installed or the pull fails.
    """
    from harness.device.names import check_package

    check_package(package)
    result = device.shell(["pm", "path", package])
    paths = [
        line.removeprefix("package:").strip()
        for line in result.stdout.splitlines()
        if line.startswith("package:")
    ]
    if not result.ok or not paths:
        raise DeviceError(f"{device.serial}: {package} is not installed (pm path found nothing)")
    # Split APKs list several; base.apk holds the manifest and the signature of the app.
    remote = next((p for p in paths if p.endswith("/base.apk")), paths[0])
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        local = Path(tmp) / "base.apk"
        device.pull(remote, local)
        try:
            return apk_identity(local)
        except InputError as exc:
            raise DeviceError(f"{device.serial}: {remote} of {package}: {exc.detail}") from exc


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _identity(
    archive: zipfile.ZipFile,
    sha: str,
    size: int,
    block_certs: list[str],
    schemes: list[str],
) -> ApkIdentity:
    notes: list[str] = []
    v1 = _v1_certs(archive, notes)
    if v1:
        schemes = ["v1", *schemes]
    certs = block_certs or v1
    fields: dict[str, Any] = {}
    names = set(archive.namelist())
    if "manifest.json" in names:
        fields = _sim_manifest(archive, notes)
    if not fields and "AndroidManifest.xml" in names:
        fields = _android_manifest(archive, notes)
    if not fields:
        notes.append("no manifest: package, label and version unknown")
    return ApkIdentity(
        sha256=sha,
        size=size,
        signing_certs_sha256=tuple(certs),
        signature_schemes=tuple(schemes),
        notes=tuple(notes),
        **fields,
    )


def _read_entry(archive: zipfile.ZipFile, name: str) -> bytes | None:
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        # zipfile would raise a bare RuntimeError asking for a password; an APK is never
        # encrypted, so this is a damaged or hostile file.
        raise zipfile.BadZipFile(f"{name} is marked encrypted")
    if info.file_size > _MAX_ENTRY:
        return None
    with archive.open(info) as handle:
        return handle.read(_MAX_ENTRY + 1)[:_MAX_ENTRY]


def _sim_manifest(archive: zipfile.ZipFile, notes: list[str]) -> dict[str, Any]:
    raw = _read_entry(archive, "manifest.json")
    try:
        data = json.loads(raw or b"")
    except (ValueError, RecursionError):
        notes.append("manifest.json is not valid JSON")
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("package"), str):
        notes.append("manifest.json names no package")
        return {}
    code = data.get("version_code")
    return {
        "package": _text(data.get("package")),
        "label": _text(data.get("label")),
        "version_name": _text(data.get("version_name")),
        "version_code": code if isinstance(code, int) and not isinstance(code, bool) else None,
        "split": _text(data.get("split")),
        "manifest_source": "sim-manifest",
    }


def _android_manifest(archive: zipfile.ZipFile, notes: list[str]) -> dict[str, Any]:
    raw = _read_entry(archive, "AndroidManifest.xml")
    if raw is None:
        notes.append("AndroidManifest.xml too large")
        return {}
    try:
        attrs = read_axml_manifest(raw)
    except (ValueError, struct.error, IndexError) as exc:
        notes.append(f"AndroidManifest.xml: {exc}")
        return {}
    label = attrs.get("label")
    code = attrs.get("versionCode")
    return {
        "package": _text(attrs.get("package")),
        "label": label if isinstance(label, str) and not label.startswith("@") else None,
        "version_name": _text(attrs.get("versionName")),
        "version_code": code if isinstance(code, int) else None,
        "split": _text(attrs.get("split")) or None,
        "manifest_source": "android-manifest",
    }


def _text(value: object, limit: int = 200) -> str | None:
    return value[:limit] if isinstance(value, str) else None


# -- signatures ---------------------------------------------------------------------------


def _cert_sha256(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _v1_certs(archive: zipfile.ZipFile, notes: list[str]) -> list[str]:
    """SHA-256 of the signer certificate of each v1 signature file (PKCS#7)."""
    out: list[str] = []
    for name in sorted(n for n in archive.namelist() if _V1_SIGNATURE.match(n)):
        raw = _read_entry(archive, name)
        try:
            certs = pkcs7.load_der_pkcs7_certificates(raw or b"")
        except ValueError:
            notes.append(f"{name}: not a PKCS#7 signature")
            continue
        if certs:
            # The signer's certificate comes first in APK signature files (apksigner,
            # jarsigner): a chain, if present, follows it.
            sha = _cert_sha256(certs[0].public_bytes(Encoding.DER))
            if sha not in out:
                out.append(sha)
    return out


def _signing_block(handle: Any, size: int) -> tuple[list[str], list[str]]:
    """(certificate SHA-256s, schemes) of the APK Signing Block, v3 preferred over v2.

    Layout (source.android.com "APK Signature Scheme v2"): the block sits just before
    the zip central directory; it ends with its size (uint64) and the magic. Its pairs
    are (uint64 length, uint32 id, value). A missing or malformed block is "no block".
    """
    tail = min(size, 65536 + 22)
    handle.seek(size - tail)
    end = handle.read(tail)
    eocd = end.rfind(b"PK\x05\x06")
    if eocd < 0 or eocd + 22 > len(end):
        return [], []
    cd_offset = struct.unpack_from("<I", end, eocd + 16)[0]
    if cd_offset < 32 or cd_offset > size:
        return [], []
    handle.seek(cd_offset - 24)
    footer = handle.read(24)
    if len(footer) != 24 or footer[8:] != _SIG_BLOCK_MAGIC:
        return [], []
    block_size = struct.unpack_from("<Q", footer, 0)[0]
    start = cd_offset - block_size - 8
    if block_size < 24 or start < 0 or block_size > _MAX_ENTRY * 8:
        return [], []
    handle.seek(start)
    block = handle.read(block_size + 8)
    if len(block) != block_size + 8 or struct.unpack_from("<Q", block, 0)[0] != block_size:
        return [], []
    found: dict[str, list[str]] = {}
    pos, stop = 8, len(block) - 24
    while pos + 12 <= stop:
        length = struct.unpack_from("<Q", block, pos)[0]
        if length < 4 or pos + 8 + length > stop:
            break
        pair_id = struct.unpack_from("<I", block, pos + 8)[0]
        scheme = _SCHEMES.get(pair_id)
        if scheme is not None:
            try:
                found[scheme] = _scheme_certs(block[pos + 12 : pos + 8 + length])
            except (struct.error, ValueError):
                found[scheme] = []
        pos += 8 + length
    schemes: list[str] = [s for s in ("v2", "v3", "v3.1") if s in found]
    for best in ("v3.1", "v3", "v2"):
        if found.get(best):
            return found[best], schemes
    return [], schemes


def _prefixed(data: bytes, pos: int) -> tuple[bytes, int]:
    """A uint32-length-prefixed slice at ``pos`` and the position after it."""
    if pos + 4 > len(data):
        raise ValueError("truncated")
    length = struct.unpack_from("<I", data, pos)[0]
    end = pos + 4 + length
    if end > len(data):
        raise ValueError("truncated")
    return data[pos + 4 : end], end


def _sequence(data: bytes) -> list[bytes]:
    items: list[bytes] = []
    pos = 0
    while pos < len(data):
        item, pos = _prefixed(data, pos)
        items.append(item)
    return items


def _scheme_certs(value: bytes) -> list[str]:
    """Certificates of a v2/v3 block value: signers → signed data → certificates."""
    signers, _ = _prefixed(value, 0)
    out: list[str] = []
    for signer in _sequence(signers):
        signed_data, _ = _prefixed(signer, 0)
        _digests, pos = _prefixed(signed_data, 0)
        certificates, _ = _prefixed(signed_data, pos)
        for der in _sequence(certificates):
            try:
                x509.load_der_x509_certificate(der)  # a certificate, not arbitrary bytes
            except x509.InvalidVersion as exc:  # not a ValueError: found by hypothesis
                raise ValueError(f"not an X.509 certificate: {exc}") from exc
            sha = _cert_sha256(der)
            if sha not in out:
                out.append(sha)
            break  # the signer's own certificate comes first
    return out
