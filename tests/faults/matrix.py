"""The fault matrix (issue 9): each fault of the simulator's fault channel (or of the
harness's own Frida objects) thrown at a scenario with a known baseline.

Shared by ``tests/faults/test_matrix.py`` (one test per fault) and
``tools/fault_matrix.py`` (prints the table). A fault is triggered when the scenario
reaches a given step — the runner's own progress line — never on a wall-clock guess.

What every row must show: no ``pass`` when the scenario's baseline is ``fail`` or when a
step did not happen; the trace kept (header, hooks, end record); the exit status the
CLI's ``run`` would give (``harness.cli.run_cmd.exit_status``, default ``--fail-on``).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.cli.run_cmd import exit_status
from harness.model import ScenarioResult, Verdict
from harness.runner import RunOptions, run_scenario
from harness.scenario import Scenario, load_scenarios
from harness.tracefile import open_trace

HERE = Path(__file__).parent
QUITTER_SPEC = HERE / "apps" / "quitter.yaml"

COMPLIANT_AGREE = """
name: compliant agree
app: com.example.compliant
scope: [device_id, network_id, installed_apps, running_apps, location, permission_request]
steps: [{wait_for_consent: {timeout: 6}}, {observe: 1}, {agree: {timeout: 4}}, {observe: 4}]
"""
NEWS_AGREE = """
name: news agree
app: com.example.news
scope: [device_id, network_id, installed_apps]
steps: [{wait_for_consent: {timeout: 6}}, {observe: 1}, {agree: {timeout: 4}}, {observe: 4}]
"""
QUITTER_REFUSE = """
name: quitter refuse
app: com.example.quitter
scope: [device_id]
steps: [{wait_for_consent: {timeout: 6}}, {observe: 1}, {refuse: {timeout: 4}}, {observe: 3}]
"""


@dataclass(frozen=True)
class Fault:
    name: str
    scenario: str
    #: The verdict of this scenario on a healthy device (the sim app's ground truth).
    baseline: Verdict
    #: Progress message prefix that triggers the fault, and what to do then.
    when: str | None
    act: Callable[[Any, str, Any], None] | None
    #: Faults switched on before the scenario starts.
    before: Callable[[Any, str], None] | None = None
    #: Exit statuses `run` may give with this fault.
    exits: tuple[int, ...] = (1,)


@dataclass
class Outcome:
    fault: Fault
    result: ScenarioResult
    trace_kept: bool
    end_reason: str | None
    exit_code: int

    @property
    def wrong_pass(self) -> bool:
        """A pass the harness had no right to give."""
        if self.result.verdict is not Verdict.PASS:
            return False
        return self.fault.baseline is not Verdict.PASS or bool(self.result.unreached)


def _kill(package: str) -> Callable[[Any, str, Any], None]:
    def act(cluster: Any, serial: str, app: Any) -> None:
        cluster.control(serial).kill_app(package)
    return act


def _drop(offline_ms: int) -> Callable[[Any, str, Any], None]:
    def act(cluster: Any, serial: str, app: Any) -> None:
        cluster.control(serial).drop_connection(offline_ms=offline_ms)
    return act


def _detach(cluster: Any, serial: str, app: Any) -> None:
    app._session.detach()  # the harness's own Frida session, the app keeps running


def _unload(cluster: Any, serial: str, app: Any) -> None:
    app._script.unload()  # the harness's own agent script, the app keeps running


def _malform_every_dump(cluster: Any, serial: str) -> None:
    control = cluster.control(serial)
    stop = threading.Event()

    def rearm() -> None:  # the fault is one-shot: keep it armed while the scenario runs
        while not stop.wait(0.05):
            try:
                control.malform_next_dump(True)
            except Exception:  # noqa: BLE001 - the cluster may be going away
                return
    threading.Thread(target=rearm, daemon=True).start()
    _STOPPERS.append(stop)


_STOPPERS: list[threading.Event] = []

SECOND_OBSERVE = "step observe (line"

FAULTS: list[Fault] = [
    Fault("dialog never shown", COMPLIANT_AGREE, Verdict.PASS, None, None,
          before=lambda c, s: c.control(s).suppress_dialogs(True)),
    Fault("malformed UI dumps", COMPLIANT_AGREE, Verdict.PASS, None, None,
          before=_malform_every_dump, exits=(0, 1)),
    Fault("UI slower than the shell timeout", COMPLIANT_AGREE, Verdict.PASS, None, None,
          before=lambda c, s: c.control(s).delay_ui(45_000), exits=(1, 3)),
    Fault("app killed mid-observe", COMPLIANT_AGREE, Verdict.PASS, "after agree",
          _kill("com.example.compliant")),
    Fault("app kills itself after collecting", QUITTER_REFUSE, Verdict.FAIL, None, None),
    Fault("Frida session detached, app alive", NEWS_AGREE, Verdict.FAIL, "after agree",
          _detach, exits=(1, 3)),
    Fault("agent script unloaded, app alive", COMPLIANT_AGREE, Verdict.PASS, "after agree",
          _unload, exits=(1, 3)),
    Fault("ADB dropped briefly", COMPLIANT_AGREE, Verdict.PASS, "after agree", _drop(300),
          exits=(0, 1, 3)),
    Fault("ADB dropped for long", COMPLIANT_AGREE, Verdict.PASS, "after agree", _drop(10_000),
          exits=(3,)),
]


def scenario_of(text: str, folder: Path) -> Scenario:
    path = folder / "scenario.yaml"
    path.write_text(text, "utf-8")
    (only,) = load_scenarios(path)
    return only


def install_quitter(device: Any) -> None:
    """The fault app is not a bundled one: build it and install it like any APK."""
    if device.package_info("com.example.quitter") is not None:
        return
    from harness.sim.apps import build_package

    with tempfile.TemporaryDirectory() as tmp:
        device.install(build_package(QUITTER_SPEC, Path(tmp)))


def run_fault(fault: Fault, cluster: Any, device: Any, folder: Path) -> Outcome:
    serial = device.serial
    if "quitter" in fault.scenario:
        install_quitter(device)
    scenario = scenario_of(fault.scenario, folder)
    apps: list[Any] = []
    fired = threading.Event()
    agreed = threading.Event()

    def progress(message: str) -> None:
        # "after agree": the observe step that follows the agree step
        if message.startswith("step agree"):
            agreed.set()
        elif (fault.act is not None and agreed.is_set() and not fired.is_set()
              and message.startswith(SECOND_OBSERVE) and apps):
            fired.set()
            # Before the observe step waits (progress is called on the runner's thread):
            # the fault has happened when the step starts watching, however slow the
            # machine — a fault that lands after the step would test nothing.
            fault.act(cluster, serial, apps[-1])

    if fault.before is not None:
        fault.before(cluster, serial)
    try:
        result = run_scenario(scenario, device, folder / "out", progress=progress,
                              options=RunOptions(on_app=apps.append))
    finally:
        for stop in _STOPPERS:
            stop.set()
        _STOPPERS.clear()
        cluster.control(serial).clear_faults()
        device.wait_online(60)
    trace_path = folder / "out" / "trace.jsonl"
    end_reason = None
    kept = False
    if trace_path.is_file():
        records = list(open_trace(trace_path).records())
        kept = bool(records) and records[-1].kind == "end"
        end_reason = records[-1].reason if kept else None  # type: ignore[union-attr]
    return Outcome(fault, result, kept, end_reason,
                   exit_status([result], Verdict.INCONCLUSIVE))


def table(outcomes: list[Outcome]) -> str:
    rows = [("fault", "outcome", "trace kept", "wrong pass", "exit")]
    for o in outcomes:
        rows.append((o.fault.name, o.result.verdict.value + (f" (end {o.end_reason})"
                                                             if o.end_reason else ""),
                     "yes" if o.trace_kept else "NO", "YES" if o.wrong_pass else "no",
                     str(o.exit_code)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)
