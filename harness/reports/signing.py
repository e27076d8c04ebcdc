"""``manifest.json.sig``: an Ed25519 signature of ``manifest.json``, and its check.

A signature is the exact bytes of ``manifest.json`` signed with the reviewer's private
key, written beside it (not listed in the manifest, which it signs). ``verify --pubkey
KEY`` checks it against the signer's public key, so a rewritten manifest is caught
without keeping a detached digest anywhere. Keys are PEM files (:func:`generate_key_pair`,
``consent-harness keygen``).

The signature file in a folder handed to ``verify`` may come from anyone: it is read with
a size limit and every field is checked, so a hostile file ends in a status, never a
crash.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from harness.errors import InputError
from harness.reports.folder import MANIFEST
from harness.reports.manifest import SIGNATURE, _read_json

SIGNATURE_FORMAT = 1
#: Larger than any real signature or PEM key file; read no further.
MAX_SIGNATURE_BYTES = 64 << 10

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
    folder: str | Path,
    key_path: str | Path | Ed25519PrivateKey,
    *,
    password: bytes | None = None,
) -> SignatureStatus:
    """Sign ``DIR/manifest.json`` with the Ed25519 private key in ``key_path`` (PEM), or
    with a key already loaded (``--sign`` loads it before the run, to fail fast).

    Writes ``DIR/manifest.json.sig``; call it right after :func:`write_manifest`. Returns
    the (``valid``) status with the signer's fingerprint, for the run's output.
    """
    root = Path(folder)
    key = (key_path if isinstance(key_path, Ed25519PrivateKey)
           else load_private_key(key_path, password))
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
