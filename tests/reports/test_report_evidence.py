"""The evidence folder keeps the scenario file as run, and names no device serial."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.reports import RunFolder, verify_manifest, write_reports
from tests.reports.conftest import make_summary

TEXT = "name: News app — agree\napp: com.example.news\nsteps:\n  - agree\n"


def _listed(folder: Path) -> set[str]:
    data = json.loads((folder / "manifest.json").read_text())
    return {f["path"] for f in data["files"]}


def test_scenario_text_is_stored_beside_trace_and_verdicts(tmp_path: Path, traces) -> None:
    summary = make_summary()
    name = summary.scenarios[0].scenario
    write_reports(tmp_path / "run", summary, traces, scenario_sources={name: TEXT}, lang="en")
    stored = tmp_path / "run/scenarios/news-app-agree/scenario.yaml"
    assert stored.read_text(encoding="utf-8") == TEXT
    listed = _listed(tmp_path / "run")
    assert {
        "scenarios/news-app-agree/scenario.yaml",
        "scenarios/news-app-agree/trace.jsonl",
        "scenarios/news-app-agree/verdicts.json",
        "report.xlsx",
    } <= listed
    page = (tmp_path / "run/report.html").read_text(encoding="utf-8")
    assert 'href="scenarios/news-app-agree/scenario.yaml"' in page
    assert not verify_manifest(tmp_path / "run")


def test_a_temporary_scenario_file_saved_at_start_survives(tmp_path: Path, traces) -> None:
    """`check` writes its standard scenarios to a temporary folder that is gone when the
    report is written: the runner saves the file when the scenario starts."""
    summary = make_summary()
    first = summary.scenarios[0]
    temp = tmp_path / "tmp" / "observe.yaml"
    temp.parent.mkdir()
    temp.write_text(TEXT, encoding="utf-8")
    folder = RunFolder(tmp_path / "run")
    folder.save_scenario(first.scenario, temp, file=first.file)
    temp.unlink()
    write_reports(folder, summary, traces, lang="en")
    assert (folder.path / "scenarios/news-app-agree/scenario.yaml").read_text() == TEXT


def test_a_scenario_path_is_copied_and_a_missing_one_is_an_error(tmp_path: Path, traces) -> None:
    summary = make_summary()
    src = tmp_path / "s.yaml"
    src.write_text(TEXT, encoding="utf-8")
    name = summary.scenarios[1].scenario
    write_reports(tmp_path / "run", summary, traces, scenario_sources={name: src}, lang="en")
    assert (tmp_path / "run/scenarios/news-app-refuse/scenario.yaml").read_text() == TEXT
    from harness.errors import InputError

    with pytest.raises(InputError, match="scenario source not found"):
        write_reports(tmp_path / "run2", summary, traces,
                      scenario_sources={name: tmp_path / "gone.yaml"}, lang="en")


def test_the_result_file_is_copied_when_it_still_exists(
    tmp_path: Path, traces, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("scenarios/news").mkdir(parents=True)
    Path("scenarios/news/agree.yaml").write_text(TEXT, encoding="utf-8")
    write_reports(tmp_path / "run", make_summary(), traces, lang="en")
    assert (tmp_path / "run/scenarios/news-app-agree/scenario.yaml").read_text() == TEXT
    assert not (tmp_path / "run/scenarios/maps-no-dialog/scenario.yaml").exists()


def test_device_serials_are_redacted_in_every_report_file(tmp_path: Path, traces) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, lang="en", salt=b"s")
    for path in (tmp_path / "run").rglob("*"):
        if path.is_file() and path.suffix in (".json", ".xml", ".html"):
            assert "127.0.0.1:5555" not in path.read_text(encoding="utf-8"), path
    summary = json.loads((tmp_path / "run/summary.json").read_text())
    devices = {s["device"] for s in summary["scenarios"] if s["device"]}
    assert len(devices) == 1 and devices.pop().startswith("h:")  # same device, same name
