"""The bundled suite (scenarios/) stays true to the sim apps' ground truth."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness.scenario import load_scenarios
from harness.sim.appbuild import load_spec
from harness.sim.apps import spec_paths

ROOT = Path(__file__).resolve().parent.parent


def test_generated_scenarios_are_up_to_date() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_scenarios.py"), "--check"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_standard_scenario_expects_its_apps_ground_truth() -> None:
    specs = {load_spec(p).package: load_spec(p) for p in spec_paths()}
    seen = set()
    for scenario in load_scenarios(ROOT / "scenarios"):
        if "standard" not in scenario.tags:
            continue
        kind = next(t for t in scenario.tags if t in ("observe", "agree", "refuse"))
        spec = specs[scenario.app or ""]
        expected = {rule: str(getattr(v, "value", v))
                    for rule, v in spec.ground_truth.verdicts[kind].items()}
        assert {k: v.value for k, v in scenario.expect.items()} == expected, scenario.name
        assert [c.value for c in scenario.scope or []] == spec.ground_truth.scope
        seen.add((scenario.app, kind))
    # every bundled app but the load-test one has its three standard scenarios
    apps = set(specs) - {"com.example.burst"}
    assert seen == {(app, kind) for app in apps for kind in ("observe", "agree", "refuse")}
