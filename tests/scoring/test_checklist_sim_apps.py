"""The checklist rules 7.2/excessive-frequency and 7.4/re-ask-after-refusal against the sim
apps built to show them (harness/sim/apps/tracker.yaml, forum.yaml), through the real
runner, adb, Frida and JVMs.

The expected verdict never comes from the rule: it is derived from the app's spec and
checked against what the app did — the simulator's tap (every sensitive call, recorded
inside the stubs, with its caller frames and time), the app's stored preferences and the
screen after a relaunch.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from harness.model import MarkerKind, ScenarioResult
from harness.runner import run_scenario
from harness.scenario import load_scenarios
from harness.scoring.checklist.frequency import DEFAULT_LIMITS
from harness.sim.appbuild import load_spec
from harness.sim.apps import spec_for
from harness.sim.appspec import AppSpec
from harness.tracefile import open_trace
from tests.e2e_support import sim_with_apps

TAP_DIR = "/data/system/sim-tap"
FREQUENCY = "7.2/excessive-frequency"
REASK = "7.4/re-ask-after-refusal"


@pytest.fixture(scope="module")
def device() -> Iterator[Device]:
    for cluster in sim_with_apps():
        yield connect(cluster.serials[0], AdbServer(host=cluster.adb_host, port=cluster.adb_port))


def _spec(package: str) -> AppSpec:
    return load_spec(spec_for(package))


def _run(tmp_path: Path, device: Device, package: str, rules: str, steps: list[str]
         ) -> ScenarioResult:
    text = "\n".join([f"name: {package} {rules}", f"app: {package}", f"rules: [{rules}]",
                      "steps:", *(f"  - {s}" for s in steps)]) + "\n"
    path = tmp_path / "s.yaml"
    path.write_text(text, "utf-8")
    (scenario,) = load_scenarios(path)
    result = run_scenario(scenario, device, tmp_path / "out")
    assert result.error is None, result
    return result


def _verdict(result: ScenarioResult, rule: str) -> tuple[str, str]:
    (found,) = [r for r in result.rules if r.rule == rule]
    return found.verdict.value, found.reason


def _tap(device: Device, package: str) -> list[dict[str, Any]]:
    try:
        data = device.read_file(f"{TAP_DIR}/{package}.jsonl").decode("utf-8")
    except Exception:  # no file: the app made no sensitive call
        return []
    return [json.loads(line) for line in data.splitlines() if line.endswith("}")]


def _busiest_second(calls: list[dict[str, Any]]) -> tuple[int, str]:
    """Most tapped calls of one API within any 1 s, and that API."""
    by_api: dict[str, list[int]] = defaultdict(list)
    for call in calls:
        by_api[call["api"]].append(int(call["t"]))
    best, which = 0, ""
    for api, times in by_api.items():
        times.sort()
        lo = 0
        for hi, t in enumerate(times):
            while times[lo] <= t - 1000:
                lo += 1
            if hi - lo + 1 > best:
                best, which = hi - lo + 1, api
    return best, which


# ----------------------------------------------------------------- over-frequency


def _expected_frequency(spec: AppSpec) -> str:
    """From the spec: an SDK or action polling faster than the per-second limit fails."""
    periods = [s.period_ms for s in spec.sdks if s.start != "never" and s.period_ms]
    periods += [a.period_ms for a in spec.actions if a.period_ms]
    fastest = min(periods, default=0)
    return "fail" if fastest and 1000 / fastest > DEFAULT_LIMITS.api_per_second else "pass"


@pytest.mark.parametrize(("package", "sdk"), [("com.example.tracker", "com.example.sdk.push."),
                                              ("com.example.forum", "com.example.sdk.analytics.")])
def test_over_frequency_verdict_matches_what_the_app_was_tapped_doing(
    package: str, sdk: str, tmp_path: Path, device: Device
) -> None:
    expected = _expected_frequency(_spec(package))
    device.shell(["rm", "-f", f"{TAP_DIR}/{package}.jsonl"])
    result = _run(tmp_path, device, package, FREQUENCY,
                  ["wait_for_consent", "agree", "observe: 3"])
    calls = [c for c in _tap(device, package) if not c.get("framework")]
    assert calls, "the app collected nothing after consent"
    # the SDK the spec names made the calls (the tap's own caller frames)
    assert all(any(f.startswith(sdk) for f in c["frames"]) for c in calls), calls[:3]
    busiest, api = _busiest_second(calls)
    # the behaviour agrees with the spec: 20 reads a second, or a single read of each API
    if expected == "fail":
        assert busiest > DEFAULT_LIMITS.api_per_second, (busiest, api)
    else:
        assert busiest == 1, (busiest, api)
    verdict, reason = _verdict(result, FREQUENCY)
    assert verdict == expected, reason
    if expected == "fail":
        assert "Example Push" in reason and "within 1 s" in reason, reason


# ------------------------------------------------------------- re-ask after refusal


def _expected_reask(spec: AppSpec) -> str:
    """From the spec: the dialog comes back in the session (``reask_after_ms``) or at a
    launch within 48 h (the refusal forgotten sooner) — fail; otherwise pass."""
    c = spec.consent
    return "fail" if c.reask_after_ms or c.remember_refusal_hours < 48 else "pass"


def _consent_prefs(device: Device, package: str) -> str:
    path = f"/data/data/{package}/shared_prefs/consent_sdk.xml"
    return device.read_file(path).decode("utf-8")


@pytest.mark.parametrize("package", ["com.example.tracker", "com.example.forum"])
def test_reask_verdict_matches_what_the_app_showed_after_the_refusal(
    package: str, tmp_path: Path, device: Device
) -> None:
    spec = _spec(package)
    expected = _expected_reask(spec)
    # (the run starts the app as newly installed: launch.clear_data defaults to true)
    steps = ["wait_for_consent", "refuse", "observe: 4", "relaunch"]
    # the next launch, seen on the screen (a step that does not find it ends the run in error)
    steps += ["wait_for_consent"] if expected == "fail" else [
        "observe: 2", "assert_visible: 仅浏览模式", f"assert_not_visible: {spec.consent.refuse}"]
    result = _run(tmp_path, device, package, REASK, steps)
    # the refusal is stored, with its time, across the restart (SharedPreferences on disk)
    prefs = _consent_prefs(device, package)
    assert '<boolean name="agreed" value="false" />' in prefs and 'name="refused_at"' in prefs
    trace = tmp_path / "out" / "trace.jsonl"
    markers = sorted(open_trace(trace).markers(), key=lambda m: m.ts)
    relaunches = [m.ts for m in markers if m.marker is MarkerKind.STEP
                  and m.detail.get("step") == "relaunch"]
    shown_after = [m for m in markers if m.marker is MarkerKind.CONSENT_SHOWN
                   and m.source == "host" and m.ts > relaunches[-1]]
    assert bool(shown_after) == (expected == "fail")
    verdict, reason = _verdict(result, REASK)
    assert verdict == expected, reason
    if spec.consent.reask_after_ms:
        assert "in the same session" in reason, reason
