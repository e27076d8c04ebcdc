"""``consent-harness verify DIR``: exit 0 intact, 1 tampered, 2 not a run folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.errors import InputError
from harness.model import ArticleVerdict, RunSummary, ScenarioResult, Verdict
from harness.reports import manifest_digest, write_manifest, write_reports
from harness.reports.signing import generate_key_pair, sign_manifest


@pytest.fixture
def run(tmp_path: Path) -> Path:
    result = ScenarioResult(
        scenario="News; rm -rf / & <b>",
        package="com.example.news",
        verdict=Verdict.PASS,
        articles=[ArticleVerdict(article="7.2", verdict=Verdict.PASS, rules=[])],
        rules=[],
    )
    summary = RunSummary(harness_version="t", started_at="s", finished_at="f", scenarios=[result])
    write_reports(tmp_path / "run", summary)
    return tmp_path / "run"


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_intact_folder_is_ok(run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["verify", str(run)]) == 0
    out = capsys.readouterr().out.splitlines()
    count = len(json.loads((run / "manifest.json").read_text())["files"])
    assert out[0] == f"OK {count} files match manifest.json"
    # The full digest, as --digest wants it (not a 16-digit prefix).
    assert out[1] == f"manifest sha256: {manifest_digest(run)}"
    assert out[2] == "signature: not signed"


def test_tampered_folder_lists_each_problem(run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (run / "junit.xml").write_text("<testsuites/>")
    (run / "report.html").unlink()
    (run / "new.txt").write_text("x")
    assert _run(["verify", str(run)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("TAMPERED changed: junit.xml")
    assert out[1].startswith("TAMPERED missing: report.html")
    assert out[2].startswith("TAMPERED extra: new.txt")


def test_wrong_digest_is_tampered(run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["verify", str(run), "--digest", "0" * 64]) == 1
    assert "TAMPERED manifest: manifest.json" in capsys.readouterr().out
    assert _run(["verify", str(run), "--digest", manifest_digest(run).upper()]) == 0


def test_not_a_run_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["verify", str(tmp_path)]) == 2
    assert "not a run folder" in capsys.readouterr().err
    assert _run(["verify", str(tmp_path / "missing")]) == 2


# -- signatures --------------------------------------------------------------------------


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "keys" / "signer.pem"
    private.parent.mkdir()
    generate_key_pair(private)
    return private, private.with_name("signer.pem.pub")


def test_keygen_makes_a_private_and_a_public_pem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "k.pem"
    assert _run(["keygen", str(key)]) == 0
    out = capsys.readouterr().out
    assert (key.stat().st_mode & 0o777) == 0o600
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "k.pem.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert "fingerprint: sha256:" in out
    assert _run(["keygen", str(key)]) == 2  # never overwrites
    assert "exists already" in capsys.readouterr().err


def test_signed_folder_verifies_with_the_signers_key(
    run: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    status = sign_manifest(run, private)
    assert status.state == "valid" and status.key_sha256
    assert _run(["verify", str(run), "--pubkey", str(public)]) == 0
    out = capsys.readouterr().out
    assert f"signature: valid, signed by key sha256:{status.key_sha256}" in out
    # Without --pubkey: the signature holds for the key it names, and the output says
    # that this does not tell who signed.
    assert _run(["verify", str(run)]) == 0
    assert "pass --pubkey to check it is the expected signer" in capsys.readouterr().out


def test_regenerated_manifest_is_caught_by_the_signature(
    run: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    sign_manifest(run, private)
    signature = (run / "manifest.json.sig").read_bytes()
    (run / "summary.json").write_text("{}")
    write_manifest(run)  # a forger re-seals the folder…
    assert _run(["verify", str(run)]) == 0  # (the manifest alone agrees with the files)
    assert _run(["verify", str(run), "--pubkey", str(public)]) == 1
    assert "TAMPERED signature: not signed" in capsys.readouterr().out
    (run / "manifest.json.sig").write_bytes(signature)  # …and puts the old signature back
    assert _run(["verify", str(run), "--pubkey", str(public)]) == 1
    assert "does not match manifest.json" in capsys.readouterr().out
    assert _run(["verify", str(run)]) == 1  # a broken signature needs no key to be seen


def test_folder_signed_by_another_key_fails(
    run: Path, keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, public = keys
    other = tmp_path / "other.pem"
    generate_key_pair(other)
    sign_manifest(run, other)
    assert _run(["verify", str(run), "--pubkey", str(public)]) == 1
    assert "not by the given key" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"", b"not a key", b"-----BEGIN PUBLIC KEY-----\nAAAA\n"])
def test_bad_pubkey_file_exits_2(
    run: Path, tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pub"
    bad.write_bytes(content)
    assert _run(["verify", str(run), "--pubkey", str(bad)]) == 2
    assert "not a PEM public key" in capsys.readouterr().err


def test_an_rsa_key_is_refused_with_a_reason(tmp_path: Path, run: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    path = tmp_path / "rsa.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(InputError, match="Ed25519"):
        sign_manifest(run, path)


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": 1, "files": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}",
        b'{"format": 1, "files": [{"path": "\\ud800", "sha256": "' + b"0" * 64 + b'"}]}',
        b'{"format": 1, "files": [{"path": 7, "sha256": null, "size": "x"}]}',
        b'{"format": 1, "files": [{"path": "a", "sha256": "' + b"0" * 64 + b'", "size": true}]}',
        b'{"format": {"a": 1}, "files": []}',
        b'{"format": 1, "files": {"a": 1}}',
        b'{"format": 1, "files": ["x", 1, null, []]}',
        b"\xff\xfe not utf-8",
        b"null",
    ],
)
def test_hostile_manifest_is_a_clear_error_exit_2(
    run: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    (run / "manifest.json").write_bytes(content)
    assert _run(["verify", str(run)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "manifest.json is not a manifest" in captured.err
    assert captured.out.startswith("MALFORMED manifest.json: ")


def test_huge_manifest_is_not_read(run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from harness.reports.manifest import MAX_MANIFEST_BYTES

    with (run / "manifest.json").open("wb") as handle:
        handle.truncate(MAX_MANIFEST_BYTES + 1)  # sparse: no disk used
    assert _run(["verify", str(run)]) == 2
    assert "larger than" in capsys.readouterr().out


def test_hostile_signature_file_is_tampered_not_a_crash(
    run: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    for content in (
        b"[" * 100_000,
        b'{"format": 1, "algorithm": "ed25519", "public_key": 5}',
        b'{"format": 1, "algorithm": "ed25519", "public_key": "\\ud800"}',
    ):
        (run / "manifest.json.sig").write_bytes(content)
        assert _run(["verify", str(run), "--pubkey", str(keys[1])]) == 1
        out = capsys.readouterr().out
        assert "TAMPERED signature:" in out and "Traceback" not in out


def test_short_digest_is_refused(run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["verify", str(run), "--digest", manifest_digest(run)[:16]]) == 2
    assert "64 hex digits" in capsys.readouterr().err
