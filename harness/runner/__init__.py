"""Orchestration: Scenario × Device → Trace → verdicts (DESIGN §6)."""

from harness.runner.expectations import is_violation, mismatches
from harness.runner.scenario_run import RunOptions, ScenarioInterrupted, run_scenario
from harness.runner.suite import Progress, run_suite

__all__ = [
    "Progress", "RunOptions", "ScenarioInterrupted", "is_violation", "mismatches",
    "run_scenario", "run_suite",
]
