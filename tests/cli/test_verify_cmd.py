"""``consent-harness verify DIR``: exit 0 intact, 1 tampered, 2 not a run folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli.main import main
from harness.model import ArticleVerdict, RunSummary, ScenarioResult, Verdict
from harness.reports import manifest_digest, write_reports


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
    out = capsys.readouterr().out
    assert out.startswith("OK 4 files match manifest.json")
    assert manifest_digest(run) in out


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
