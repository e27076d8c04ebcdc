"""manifest.json: written last, and every change to the folder is caught."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from harness import __version__
from harness.errors import InputError
from harness.model import RunSummary
from harness.reports import manifest_digest, verify_manifest, write_reports


@pytest.fixture
def run(tmp_path: Path, summary: RunSummary, traces: dict[str, Path]) -> Path:
    folder = tmp_path / "run"
    write_reports(folder, summary, traces, created_at="2024-01-01T00:00:00Z")
    return folder


def _kinds(folder: Path, **kw: str) -> list[tuple[str, str]]:
    return [(p.kind, p.path) for p in verify_manifest(folder, **kw)]


def test_manifest_lists_every_other_file_sorted_with_hash_and_size(run: Path) -> None:
    data = json.loads((run / "manifest.json").read_text())
    assert data["harness_version"] == __version__
    assert data["created_at"] == "2024-01-01T00:00:00Z"
    paths = [e["path"] for e in data["files"]]
    assert paths == sorted(paths)
    on_disk = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    assert paths == [p for p in on_disk if p != "manifest.json"]
    assert {"summary.json", "junit.xml", "report.html"} <= set(paths)
    assert "scenarios/news-app-agree/trace.jsonl" in paths
    entry = next(e for e in data["files"] if e["path"] == "junit.xml")
    assert entry["size"] == (run / "junit.xml").stat().st_size
    assert len(entry["sha256"]) == 64


def test_intact_folder_verifies(run: Path) -> None:
    assert verify_manifest(run) == []
    assert verify_manifest(run, digest=manifest_digest(run)) == []


def test_one_changed_byte_is_caught(run: Path) -> None:
    target = run / "scenarios/news-app-agree/trace.jsonl"
    raw = bytearray(target.read_bytes())
    raw[10] ^= 0x01
    target.write_bytes(bytes(raw))
    assert _kinds(run) == [("changed", "scenarios/news-app-agree/trace.jsonl")]


def test_deleted_file_is_caught(run: Path) -> None:
    (run / "report.html").unlink()
    assert _kinds(run) == [("missing", "report.html")]


def test_added_file_is_caught(run: Path) -> None:
    (run / "scenarios/news-app-agree/extra.png").write_bytes(b"x")
    assert _kinds(run) == [("extra", "scenarios/news-app-agree/extra.png")]


def test_rewritten_manifest_needs_the_detached_digest(run: Path) -> None:
    recorded = manifest_digest(run)
    (run / "summary.json").write_text("{}")
    # A careful forger re-seals the folder: the manifest alone now agrees…
    data = json.loads((run / "manifest.json").read_text())
    for e in data["files"]:
        if e["path"] == "summary.json":
            e["sha256"] = hashlib.sha256(b"{}").hexdigest()
            e["size"] = 2
    (run / "manifest.json").write_text(json.dumps(data))
    assert verify_manifest(run) == []
    # …but not with the digest recorded at the time.
    assert _kinds(run, digest=recorded) == [("manifest", "manifest.json")]


def test_corrupt_manifest_is_a_problem_not_a_crash(run: Path) -> None:
    (run / "manifest.json").write_text("{not json")
    assert _kinds(run) == [("malformed", "manifest.json")]


def test_manifest_entries_cannot_point_outside(run: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("secret")
    data = json.loads((run / "manifest.json").read_text())
    data["files"].append({"path": "../outside.txt", "sha256": "0" * 64, "size": 6})
    data["files"].append({"path": "/etc/passwd", "sha256": "0" * 64, "size": 6})
    (run / "manifest.json").write_text(json.dumps(data))
    problems = verify_manifest(run)
    assert [p.kind for p in problems] == ["malformed", "malformed"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_is_flagged_never_followed(run: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("secret")
    os.symlink(tmp_path / "outside.txt", run / "link.txt")
    assert _kinds(run) == [("unsafe", "link.txt")]


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no manifest.json"):
        verify_manifest(tmp_path)
    with pytest.raises(InputError, match="not a directory"):
        verify_manifest(tmp_path / "nope")


def test_a_file_name_that_is_not_utf8_is_refused_at_sealing(run: Path) -> None:
    from harness.reports import write_manifest

    with open(os.fsencode(run) + b"/\xff.txt", "wb") as handle:
        handle.write(b"x")
    with pytest.raises(InputError, match="not UTF-8"):
        write_manifest(run)
    # …and verify names it as an extra file rather than crashing on it.
    assert [p.kind for p in verify_manifest(run)] == ["extra"]
