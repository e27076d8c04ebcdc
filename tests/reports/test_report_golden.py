"""Golden files for a whole run folder, in English, and the Chinese page.

Regenerate after an intended change with::

    CONSENT_HARNESS_UPDATE_GOLDEN=1 python -m pytest tests/reports/test_report_golden.py

and review the diff of tests/reports/golden/ like code. SDK attribution is pinned by the
``stable_attribution`` fixture so the files do not move when the SDK table grows; the
redaction salt is fixed (device serials are redacted by default); the manifest's harness
version is normalised to ``VERSION``. ``golden/zh/report.html`` is the same run in Chinese.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import __version__
from harness.model import RunSummary
from harness.reports import RunFolder, write_reports

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CONSENT_HARNESS_UPDATE_GOLDEN") == "1"
SALT = b"golden-salt"
SCENARIO_TEXT = "name: News app — agree\napp: com.example.news\nsteps:\n  - agree\n"
SUFFIXES = (".json", ".xml", ".html", ".yaml")


def _normalise(rel: str, text: str) -> str:
    if rel == "manifest.json":
        text = text.replace(f'"harness_version": "{__version__}"', '"harness_version": "VERSION"')
    return text


def _write(tmp_path: Path, summary: RunSummary, traces: dict[str, Path], lang: str) -> RunFolder:
    folder = RunFolder(tmp_path / f"run-{lang}")
    first = summary.scenarios[0]
    (folder.scenario_dir(first.scenario, file=first.file) / "dialog.png").write_bytes(
        b"\x89PNG\r\n\x1a\n golden"
    )
    write_reports(
        folder,
        summary,
        traces,
        created_at="2024-01-01T00:00:00Z",
        lang=lang,
        salt=SALT,
        scenario_sources={first.scenario: SCENARIO_TEXT},
    )
    return folder


def _compare(produced: dict[str, str], golden: Path, only: set[str] | None = None) -> None:
    if UPDATE:
        for rel, text in produced.items():
            target = golden / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(golden).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(golden.rglob("*"))
        if p.is_file() and (only is None or p.relative_to(golden).as_posix() in only)
        and not p.relative_to(golden).as_posix().startswith("zh/")
    }
    assert sorted(produced) == sorted(expected), "set of report files changed"
    for rel, text in produced.items():
        assert text == expected[rel], f"{rel} differs from golden (see module docstring)"


@pytest.mark.usefixtures("stable_attribution")
def test_run_folder_matches_golden(
    tmp_path: Path, summary: RunSummary, traces: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no scenario file of the summary exists here
    folder = _write(tmp_path, summary, traces, "en")
    produced = {
        p.relative_to(folder.path).as_posix(): _normalise(
            p.relative_to(folder.path).as_posix(), p.read_text(encoding="utf-8", errors="replace")
        )
        for p in sorted(folder.path.rglob("*"))
        if p.is_file() and p.suffix in SUFFIXES
    }
    assert (folder.path / "report.xlsx").is_file()
    _compare(produced, GOLDEN)


@pytest.mark.usefixtures("stable_attribution")
def test_chinese_page_matches_golden(
    tmp_path: Path, summary: RunSummary, traces: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _write(tmp_path, summary, traces, "zh")
    page = (folder.path / "report.html").read_text(encoding="utf-8")
    _compare({"report.html": page}, GOLDEN / "zh")
