"""What a scenario leaves in its folder besides its trace: ``verdicts.json`` and copies of
the flow files its steps read."""

from __future__ import annotations

import logging
from pathlib import Path

from harness.model import ScenarioResult
from harness.reports.scrub import Scrubber
from harness.scenario import Scenario

log = logging.getLogger(__name__)


def write_verdicts(scenario_dir: Path, result: ScenarioResult, *, reveal_values: bool) -> None:
    """``verdicts.json`` now (an interrupted suite keeps it), in the form the report
    writer gives it — trace path from the run folder, device serial redacted — so that
    writer finds it written and leaves it (it rewrites it only if its run-wide redaction
    differs)."""
    if scenario_dir.parent.name == "scenarios":
        result = result.model_copy(
            update={"trace": f"scenarios/{scenario_dir.name}/{result.trace}"})
    if not reveal_values:
        result = Scrubber([result.device] if result.device else []).deep(result)
    (scenario_dir / "verdicts.json").write_text(result.model_dump_json(indent=2) + "\n",
                                                encoding="utf-8")


#: A flow file larger than this is not copied into the scenario's folder.
MAX_FLOW_BYTES = 1 << 20


def store_flows(scenario: Scenario, scenario_dir: Path) -> None:
    """Copy the flow files the scenario's ``run_flow`` steps read into its folder, at the
    same path relative to the scenario file (so the folder's copy can be read again, and
    the flows are part of the evidence and the manifest). A flow outside the scenario's
    folder goes to ``flows/`` by its name."""
    if not scenario.flow_files or scenario.source.file is None:
        return
    base = Path(scenario.source.file).resolve().parent
    for flow in scenario.flow_files:
        try:
            rel = flow.resolve().relative_to(base)
        except ValueError:
            rel = Path("flows") / flow.name
        target = scenario_dir / rel
        try:
            if not flow.is_file() or flow.stat().st_size > MAX_FLOW_BYTES:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            target.write_bytes(flow.read_bytes())
        except OSError as exc:
            log.info("flow %s not copied into the scenario folder: %s", flow, exc)
