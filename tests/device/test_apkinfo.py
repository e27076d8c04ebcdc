"""APK identity: file hash, signer certificates (v1 and the v2/v3 signing block), package,
label and version — checked against androguard (a parser from outside the project) on
APKs built here, and pulled from the simulated device by package name."""

from __future__ import annotations

import datetime
import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.device import Device, DeviceError
from harness.device.apkinfo import apk_identity, apk_identity_from_device
from harness.device.axml import read_axml_manifest
from harness.errors import InputError
from tests.device.conftest import PACKAGE, sim_package


def _cert(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


# -- a binary AndroidManifest.xml, written the way aapt2 lays it out -------------------


def _axml(package: str, version_code: int, version_name: str, label: str | int,
          split: str | None = None) -> bytes:
    names = ["versionCode", "versionName", "package", "label", "manifest", "application"]
    strings = names + [package, version_name] + ([label] if isinstance(label, str) else [])
    strings += ["split", split] if split is not None else []
    pool = b""
    offsets = []
    for s in strings:
        offsets.append(len(pool))
        pool += struct.pack("<H", len(s)) + s.encode("utf-16-le") + b"\0\0"
    while len(pool) % 4:
        pool += b"\0"
    header = 28
    strings_start = header + 4 * len(strings)
    body = b"".join(struct.pack("<I", o) for o in offsets) + pool
    string_chunk = (
        struct.pack(
            "<HHIIIIII", 0x0001, header, header + len(body), len(strings), 0, 0, strings_start, 0
        )
        + body
    )

    def attr(name: str, vtype: int, data: int, raw: int = -1) -> bytes:
        return struct.pack("<iiiHBBI", -1, strings.index(name), raw, 8, 0, vtype, data)

    def element(name: str, attrs: list[bytes]) -> bytes:
        ext = struct.pack("<iiHHHHHH", -1, strings.index(name), 20, 20, len(attrs), 0, 0, 0)
        content = ext + b"".join(attrs)
        return struct.pack("<HHIii", 0x0102, 16, 16 + len(content), 1, -1) + content

    def end(name: str) -> bytes:
        return struct.pack("<HHIiiii", 0x0103, 16, 24, 1, -1, -1, strings.index(name))

    manifest = element(
        "manifest",
        [
            attr("versionCode", 0x10, version_code),
            attr("versionName", 0x03, strings.index(version_name), strings.index(version_name)),
            attr("package", 0x03, strings.index(package), strings.index(package)),
            *([attr("split", 0x03, strings.index(split), strings.index(split))]
              if split is not None else []),
        ],
    )
    if isinstance(label, str):
        label_attr = attr("label", 0x03, strings.index(label), strings.index(label))
    else:
        label_attr = attr("label", 0x01, label)
    application = element("application", [label_attr])
    content = string_chunk + manifest + application + end("application") + end("manifest")
    return struct.pack("<HHI", 0x0003, 8, 8 + len(content)) + content


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _v1_signature(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> bytes:
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"Signature-Version: 1.0\r\n")
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )


def _with_signing_block(apk: bytes, scheme_id: int, certs: list[bytes]) -> bytes:
    """Insert an APK Signing Block (one signer, these certificates) before the central
    directory, as apksigner does (digests and signatures are dummies: not checked)."""

    def lp(data: bytes) -> bytes:
        return struct.pack("<I", len(data)) + data

    digests, chain = lp(b""), lp(b"".join(lp(c) for c in certs))
    if scheme_id == 0x7109871A:  # v2: digests, certificates, attributes
        signer = lp(digests + chain + lp(b"")) + lp(b"") + lp(b"pk")
    else:  # v3: digests, certificates, min/max SDK, attributes; then min/max SDK again
        sdks = struct.pack("<II", 24, 34)
        signer = lp(digests + chain + sdks + lp(b"")) + sdks + lp(b"") + lp(b"pk")
    value = lp(lp(signer))
    pair = struct.pack("<QI", len(value) + 4, scheme_id) + value
    size = len(pair) + 8 + 16
    block = struct.pack("<Q", size) + pair + struct.pack("<Q", size) + b"APK Sig Block 42"
    eocd = apk.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", apk, eocd + 16)[0]
    new_eocd = apk[eocd : eocd + 16] + struct.pack("<I", cd_offset + len(block)) + apk[eocd + 20 :]
    return apk[:cd_offset] + block + apk[cd_offset:eocd] + new_eocd


# -- tests -------------------------------------------------------------------------------


def test_sim_package_identity(tmp_path: Path) -> None:
    data = sim_package()
    path = tmp_path / "devtest.apk"
    path.write_bytes(data)
    ident = apk_identity(path)
    assert ident.sha256 == hashlib.sha256(data).hexdigest() and ident.size == len(data)
    assert (ident.package, ident.label, ident.version_name, ident.version_code) == (
        PACKAGE,
        "DevTest",
        "2.5",
        25,
    )
    assert ident.manifest_source == "sim-manifest"
    assert not ident.signed and ident.signer == "unsigned" and ident.signature_schemes == ()


def test_binary_manifest_matches_androguard(tmp_path: Path) -> None:
    from androguard.core.axml import AXMLPrinter

    raw = _axml("com.example.real", 42, "4.2.0", "Real App")
    ours = read_axml_manifest(raw)
    theirs = AXMLPrinter(raw).get_xml_obj()
    ns = "{http://schemas.android.com/apk/res/android}"
    got = {k.removeprefix(ns): v for k, v in theirs.attrib.items()}
    assert ours["package"] == got["package"] == "com.example.real"
    assert str(ours["versionCode"]) == got["versionCode"] == "42"
    assert ours["versionName"] == got["versionName"] == "4.2.0"
    assert ours["label"] == "Real App"


def test_a_split_apk_names_its_split(tmp_path: Path) -> None:
    from androguard.core.axml import AXMLPrinter

    from harness.device.apkset import base_first

    raw = _axml("com.example.real", 42, "4.2.0", "Real App", split="config.arm64_v8a")
    theirs = AXMLPrinter(raw).get_xml_obj()
    assert read_axml_manifest(raw)["split"] == theirs.attrib["split"] == "config.arm64_v8a"
    split = tmp_path / "split_config.arm64_v8a.apk"
    split.write_bytes(_zip({"AndroidManifest.xml": raw}))
    base = tmp_path / "base.apk"
    base.write_bytes(_zip({"AndroidManifest.xml": _axml("com.example.real", 42, "4.2.0", "R")}))
    assert apk_identity(split).split == "config.arm64_v8a"
    assert apk_identity(split).package == "com.example.real"
    assert apk_identity(base).split is None and apk_identity(base).label == "R"
    assert base_first([split, base]) == [base, split]


def test_v1_signed_apk_names_its_certificate(tmp_path: Path) -> None:
    from androguard.core.apk import APK

    cert, key = _cert("Example Signer")
    data = _zip(
        {
            "AndroidManifest.xml": _axml("com.example.real", 7, "1.0", 0x7F0B0001),
            "META-INF/CERT.RSA": _v1_signature(cert, key),
            "classes.dex": b"dex\n035\0",
        }
    )
    path = tmp_path / "real.apk"
    path.write_bytes(data)
    ident = apk_identity(path)
    expected = hashlib.sha256(_der(cert)).hexdigest()
    assert ident.signing_certs_sha256 == (expected,) and ident.signature_schemes == ("v1",)
    assert (ident.package, ident.version_code, ident.version_name) == ("com.example.real", 7, "1.0")
    assert ident.label is None  # a resource reference, not resolvable without resources
    theirs = APK(str(path))
    assert [hashlib.sha256(c).hexdigest() for c in theirs.get_certificates_der_v2() or []] == []
    assert theirs.get_package() == "com.example.real"


@pytest.mark.parametrize("scheme_id, name", [(0x7109871A, "v2"), (0xF05368C0, "v3")])
def test_signing_block_certificate_wins_and_matches_androguard(
    tmp_path: Path, scheme_id: int, name: str
) -> None:
    from androguard.core.apk import APK

    old, old_key = _cert("Old v1 Signer")
    new, _ = _cert("Block Signer")
    base = _zip(
        {
            "AndroidManifest.xml": _axml("com.example.real", 9, "2.0", "Real"),
            "META-INF/CERT.RSA": _v1_signature(old, old_key),
        }
    )
    path = tmp_path / "real.apk"
    path.write_bytes(_with_signing_block(base, scheme_id, [_der(new)]))
    ident = apk_identity(path)
    assert ident.signing_certs_sha256 == (hashlib.sha256(_der(new)).hexdigest(),)
    assert ident.signature_schemes == ("v1", name)
    theirs = APK(str(path))
    der = theirs.get_certificates_der_v2() if name == "v2" else theirs.get_certificates_der_v3()
    assert [hashlib.sha256(c).hexdigest() for c in der] == list(ident.signing_certs_sha256)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "not a valid zip"),
        (b"PK\x03\x04 not really", "not a valid zip"),
        (b"x" * 100, "not a valid zip"),
    ],
)
def test_not_an_apk_is_an_input_error(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.apk"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words) as info:
        apk_identity(path)
    assert info.value.path == str(path)
    with pytest.raises(InputError, match="no such APK"):
        apk_identity(tmp_path / "missing.apk")
    with pytest.raises(InputError, match="a folder"):
        apk_identity(tmp_path)


_BASE: dict[str, bytes] = {}


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, 10**6),
)
def test_corrupted_apks_never_raise_anything_but_input_error(
    tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]], cut: int
) -> None:
    if "apk" not in _BASE:
        cert, key = _cert("Fuzz")
        base = _zip(
            {
                "AndroidManifest.xml": _axml("com.example.fuzz", 1, "1", "F"),
                "META-INF/CERT.RSA": _v1_signature(cert, key),
                "manifest.json": b'{"package": "com.example.fuzz", "label": "F"}',
            },
            compression=zipfile.ZIP_DEFLATED,
        )
        _BASE["apk"] = _with_signing_block(base, 0x7109871A, [_der(cert)])
        _BASE["dir"] = str(tmp_path_factory.mktemp("apkfuzz")).encode()
    data = bytearray(_BASE["apk"])
    for pos, value in flips:
        data[pos % len(data)] = value
    data = data[: len(data) - cut % 64] if cut % 3 == 0 else data
    path = Path(_BASE["dir"].decode()) / "fuzz.apk"
    path.write_bytes(bytes(data))
    try:
        apk_identity(path)
    except InputError:
        pass


def test_identity_pulled_from_the_device_is_the_installed_file(
    device: Device, apk: Path, tmp_path: Path
) -> None:
    device.install(apk)
    work = tmp_path / "work"
    work.mkdir()
    ident = apk_identity_from_device(device, PACKAGE, work_dir=work)
    assert ident.sha256 == hashlib.sha256(apk.read_bytes()).hexdigest()
    assert (ident.package, ident.version_name) == (PACKAGE, "2.5")
    assert list(work.iterdir()) == []  # the pulled copy is not left behind
    with pytest.raises(DeviceError, match="not installed"):
        apk_identity_from_device(device, "com.example.notinstalled")
