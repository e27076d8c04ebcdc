"""Golden files for a whole run folder.

Regenerate after an intended change with::

    CONSENT_HARNESS_UPDATE_GOLDEN=1 python -m pytest tests/reports/test_report_golden.py

and review the diff of tests/reports/golden/ like code. SDK attribution is pinned by the
``stable_attribution`` fixture so the files do not move when the SDK table grows; the
manifest's harness version is normalised to ``VERSION``.
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


def _normalise(rel: str, text: str) -> str:
    if rel == "manifest.json":
        text = text.replace(f'"harness_version": "{__version__}"', '"harness_version": "VERSION"')
    return text


@pytest.mark.usefixtures("stable_attribution")
def test_run_folder_matches_golden(
    tmp_path: Path, summary: RunSummary, traces: dict[str, Path]
) -> None:
    folder = RunFolder(tmp_path / "run")
    first = summary.scenarios[0]
    (folder.scenario_dir(first.scenario, file=first.file) / "dialog.png").write_bytes(
        b"\x89PNG\r\n\x1a\n golden"
    )
    write_reports(folder, summary, traces, created_at="2024-01-01T00:00:00Z")
    produced = {
        p.relative_to(folder.path).as_posix(): _normalise(
            p.relative_to(folder.path).as_posix(), p.read_text(encoding="utf-8", errors="replace")
        )
        for p in sorted(folder.path.rglob("*"))
        if p.is_file() and p.suffix in (".json", ".xml", ".html")
    }
    if UPDATE:
        for rel, text in produced.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(produced) == sorted(expected), "set of report files changed"
    for rel, text in produced.items():
        assert text == expected[rel], f"{rel} differs from golden (see module docstring)"
