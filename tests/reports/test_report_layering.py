"""harness.reports renders and verifies on a machine with no device (DESIGN §3)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import harness.reports

FORBIDDEN = (
    "frida",
    "adbutils",
    "harness.sim",
    "harness.device",
    "harness.instrument",
    "harness.runner",
    "harness.cli",
)


def test_no_driver_imports_in_source() -> None:
    root = Path(harness.reports.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


def test_importing_reports_loads_no_driver() -> None:
    code = (
        "import sys, harness.reports, harness.cli.verify_cmd\n"
        f"bad = [m for m in sys.modules if m.startswith({FORBIDDEN[:5]!r})]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
