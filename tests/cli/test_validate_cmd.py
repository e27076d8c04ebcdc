from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli.main import main
from harness.scenario import STEP_TYPES

GOOD = Path(__file__).resolve().parents[1] / "scenario" / "data" / "good"


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_good_files_print_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["validate", str(GOOD)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"OK {GOOD / 'nested' / 'suite.yml'} (2 scenarios)" in out
    assert f"OK {GOOD / 'refuse.yaml'} (1 scenario)" in out
    assert len(out) == 3


def test_problems_print_file_line_field_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: n\napp: com.example.news\nsteps:\n  - agre\n  - observe: x\n")
    assert _run(["validate", str(GOOD / "refuse.yaml"), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"OK {GOOD / 'refuse.yaml'} (1 scenario)",
        f"{bad}:4: steps[0]: unknown step 'agre' (did you mean 'agree'?); expected one of: "
        + ", ".join(STEP_TYPES),
        f"{bad}:5: steps[1].observe: expected a number, got 'x'",
    ]
    assert "2 problems found" in captured.err


def test_quiet_and_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["validate", "-q", str(GOOD)]) == 0
    assert capsys.readouterr().out == ""
    assert _run(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: no such file or directory" in capsys.readouterr().out


def test_paths_are_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["validate"]) == 2
