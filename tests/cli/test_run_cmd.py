"""``consent-harness run``: bad input is exit 2 with file, line and field; nothing runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def ch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_malformed_scenario_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "scenarios" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("name: x\napp: com.example.news\nsteps:\n  - observe: 1\n  - agre\n", "utf-8")
    r = ch("run", str(bad.parent), "--report", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "bad.yaml:5" in r.stderr
    assert "agre" in r.stderr and "agree" in r.stderr  # what was given, what is accepted
    assert not (tmp_path / "out").exists()


def test_no_scenarios_folder_is_bad_input(tmp_path: Path) -> None:
    r = ch("run", cwd=tmp_path)
    assert r.returncode == 2
    assert "no ./scenarios folder" in r.stderr


def test_tag_selecting_nothing_is_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "s.yaml"
    good.write_text("name: x\napp: com.example.news\ntags: [agree]\nsteps: [observe: 1]\n", "utf-8")
    r = ch("run", str(good), "--tag", "nope", cwd=tmp_path)
    assert r.returncode == 2
    assert "no scenarios to run with tags nope" in r.stderr


def test_report_folder_with_foreign_files_is_kept(tmp_path: Path) -> None:
    good = tmp_path / "s.yaml"
    good.write_text("name: x\napp: com.example.news\nsteps: [observe: 1]\n", "utf-8")
    precious = tmp_path / "out" / "notes.txt"
    precious.parent.mkdir()
    precious.write_text("mine", "utf-8")
    r = ch("run", str(good), "--report", str(precious.parent), cwd=tmp_path)
    assert r.returncode == 2
    assert "not empty" in r.stderr
    assert precious.read_text("utf-8") == "mine"


def test_help_lists_commands(tmp_path: Path) -> None:
    r = ch("--help", cwd=tmp_path)
    assert r.returncode == 0
    for command in ("run", "check", "trace", "score", "catalog", "verify", "doctor", "sim"):
        assert command in r.stdout


def test_an_unknown_rule_is_bad_input_before_any_device(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("name: n\napp: com.example.news\nsteps: [observe: 1]\n")
    r = ch("run", "s.yaml", "--report", "out", "--rules", "7.9/nope", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "--rules: '7.9/nope' selects no rule" in r.stderr
    assert "simulated device" not in r.stderr


def test_quiet_run_prints_the_table_only_scored_with_the_chosen_rules(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("name: n\napp: com.example.news\nsteps: [observe: 1]\n")
    r = subprocess.run([sys.executable, "-m", "harness.cli.main", "run", "s.yaml", "-q",
                        "--report", "out", "--rules", "7.2/pre-consent-collection"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines()[0].split() == [
        "scenario", "app", "7(2)", "7(4)", "verdict", "expectation", "result"]
    assert r.stdout.rstrip().endswith("0 ok, 1 failed")
    assert r.stderr == ""
    verdicts = (tmp_path / "out" / "summary.json").read_text("utf-8")
    assert "7.2/pre-consent-collection" in verdicts and "7.4/bundled-install" not in verdicts
