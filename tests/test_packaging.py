"""The wheel carries what an installed consent-harness needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_agent_catalog_sim_apps_and_java_sources(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("consent_harness-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("harness/hooks/agent.js", "harness/hooks/prologue.js",
                     "harness/hooks/catalog.json", "harness/catalog/sdks.json",
                     "harness/sim/apps/news.yaml",
                     "harness/reports/locale/zh/LC_MESSAGES/consent_harness.mo",
                     "harness/sim/java/android/app/ActivityThread.java"):
        assert required in names, required
    assert sum(n.endswith(".java") for n in names) > 100
    specs = [n for n in names if n.startswith("harness/sim/apps/") and n.endswith(".yaml")]
    assert len(specs) >= 12
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "consent-harness = harness.cli.main:main" in text
    assert "consent_harness = harness.pytest_plugin" in text
