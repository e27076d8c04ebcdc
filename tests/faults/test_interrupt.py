"""SIGTERM in the middle of `consent-harness run`: traces closed ``interrupted``, apps
stopped, the report of what ran written and sealed and marked interrupted, exit 130,
and no process of that run left behind (checked in /proc, not trusted to the code)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.e2e_support import require

CLI = [sys.executable, "-c", "from harness.cli.main import main; main()"]


def _descendants(root: int) -> set[int]:
    """Every live process below ``root`` (a /proc scan: psutil-free)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_mid_run_closes_everything(tmp_path: Path) -> None:
    if shutil.which("javac") is None:
        require("a JDK (javac)", "the simulated device's apps are JVM programs")
    scenario = tmp_path / "long.yaml"
    scenario.write_text("name: long observe\napp: com.example.compliant\n"
                        "steps: [{observe: 120}]\n", "utf-8")
    report = tmp_path / "report"
    proc = subprocess.Popen([*CLI, "run", str(scenario), "--report", str(report), "-v"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    observing = threading.Event()
    err: list[str] = []

    def follow() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            err.append(line)
            if "step observe" in line:
                observing.set()

    threading.Thread(target=follow, daemon=True).start()
    try:
        assert observing.wait(300), "".join(err[-20:])
        spawned = _descendants(proc.pid)
        assert spawned, "the run started no device / app processes?"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 130, "".join(err[-30:])
    # nothing of the run survives it (wait for the condition, generous deadline)
    deadline = time.monotonic() + 60
    while any(_alive(p) for p in spawned) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in spawned if _alive(p)]
    assert not left, [Path(f"/proc/{p}/cmdline").read_bytes()[:200] for p in left]
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["interrupted"] is True
    (result,) = summary["scenarios"]
    assert result["verdict"] == "error"
    traces = list(report.rglob("trace.jsonl"))
    assert len(traces) == 1
    last = json.loads(traces[0].read_text("utf-8").splitlines()[-1])
    assert last["kind"] == "end" and last["reason"] == "interrupted"
    digest = next(line.split()[-1] for line in out.splitlines()
                  if line.startswith("manifest sha256 "))
    assert len(digest) == 64
    verify = subprocess.run([*CLI, "verify", str(report), "--digest", digest],
                            capture_output=True, text=True, check=False,
                            env={**os.environ})
    assert verify.returncode == 0, verify.stdout + verify.stderr
