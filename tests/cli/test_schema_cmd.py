from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.scenario import scenario_json_schema


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_schema_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == scenario_json_schema()


def test_schema_to_file(tmp_path: Path) -> None:
    out = tmp_path / "scenario.schema.json"
    assert _run(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "consent-harness scenario"


def test_schema_to_unwritable_file_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["schema", "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert "error:" in capsys.readouterr().err


def test_console_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harness.cli.main", "schema"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "$defs" in json.loads(result.stdout)
