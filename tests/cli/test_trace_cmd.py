"""``consent-harness trace``: the one device rule, and a run folder — never a file
dropped into the working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from harness.cli.trace_cmd import TRACE_FILE, TRACE_ROOT, run_folder
from harness.errors import InputError
from tests.e2e_support import sim_with_apps


def trace(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("ANDROID_SERIAL", "ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_PORT")}
    return subprocess.run([sys.executable, "-m", "harness.cli.main", "trace", *args],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**base, **env}, cwd=cwd)


def test_run_folder_default_and_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    stamp = datetime(2026, 12, 1, 23, 5, 9, tzinfo=timezone.utc)
    folder = run_folder(None, "com.example.news", stamp)
    assert folder == TRACE_ROOT / "com.example.news-20261201-230509" and folder.is_dir()
    (folder / TRACE_FILE).write_text("{}\n")
    with pytest.raises(InputError, match="already holds"):
        run_folder(None, "com.example.news", stamp)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        run_folder(tmp_path / "afile", "com.example.news", stamp)
    assert run_folder(tmp_path / "a" / "b", "com.x.y", stamp) == tmp_path / "a" / "b"


def test_trace_folder_is_git_ignored() -> None:
    repo = Path(__file__).resolve().parents[2]
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{TRACE_ROOT}/x/{TRACE_FILE}"],
                             cwd=repo, check=False)
    assert ignored.returncode == 0


def test_adb_without_a_device_is_bad_input(tmp_path: Path) -> None:
    r = trace("com.example.news", "--adb", "127.0.0.1:5999", cwd=tmp_path)
    assert r.returncode == 2 and "--device" in r.stderr
    r = trace("com.example.news", cwd=tmp_path, ANDROID_SERIAL="a,b")
    assert r.returncode == 2 and "one device" in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    yield from sim_with_apps()


def test_trace_on_the_device_android_serial_names(cluster: Any, tmp_path: Path) -> None:
    serial = cluster.serials[0]
    r = trace("com.example.news", "--duration", "4", "--frames", "0", cwd=tmp_path,
              ANDROID_SERIAL=serial, ANDROID_ADB_SERVER_PORT=str(cluster.adb_port))
    assert r.returncode == 0, r.stderr
    assert "starting 1 simulated device" not in r.stderr  # the named device, no other
    assert f"launching com.example.news on {serial}" in r.stderr
    folders = list((tmp_path / TRACE_ROOT).iterdir())
    assert len(folders) == 1 and folders[0].name.startswith("com.example.news-")
    assert sorted(p.name for p in folders[0].iterdir()) == ["trace.jsonl", "verdicts.json"]
    header = json.loads((folders[0] / "trace.jsonl").read_text("utf-8").splitlines()[0])
    assert header["app"]["package"] == "com.example.news"
    assert json.loads((folders[0] / "verdicts.json").read_text("utf-8"))["verdict"]
    # nothing else in the working directory
    assert sorted(p.name for p in tmp_path.iterdir()) == [str(TRACE_ROOT)]
