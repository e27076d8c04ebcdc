"""`run` and `check` against a device named on the command line (the simulated one,
reached through its adb server like any other device)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def ch(cluster: Any, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    device = ["--device", cluster.serials[0], "--adb", f"{cluster.adb_host}:{cluster.adb_port}"]
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args, *device], cwd=cwd,
                          capture_output=True, text=True, timeout=600, check=False)


def test_unknown_app_is_bad_input_naming_file_line_and_field(tmp_path: Path, cluster: Any) -> None:
    (tmp_path / "s.yaml").write_text(
        "# a suite\nname: ghost\napp: com.example.nope\nsteps: [observe: 1]\n", "utf-8")
    r = ch(cluster, "run", "s.yaml", "--report", "out", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "s.yaml:2: app: app 'com.example.nope' is not installed" in r.stderr


def test_check_runs_the_standard_scenarios_and_leaves_verifiable_evidence(
    tmp_path: Path, cluster: Any
) -> None:
    r = ch(cluster, "check", "com.example.news", "--observe", "2", "--report", "ev",
           cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # the news app collects before consent
    assert "7.2/pre-consent-collection fail" in r.stdout
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text("utf-8"))
    assert [s["scenario"] for s in summary["scenarios"]] == [
        "com.example.news — observe without touching",
        "com.example.news — agree",
        "com.example.news — refuse",
    ]
    verify = subprocess.run([sys.executable, "-m", "harness.cli.main", "verify", "ev"],
                            cwd=tmp_path, capture_output=True, text=True, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
