"""The `permissions` step's Android 12+ answers, on the simulator's `google` profile (Google's
permission controller: "While using the app" / "Only this time" / "Don't allow", and the
Precise / Approximate choice of a location prompt) — through the real adb and Frida; what
the device granted is the ground truth."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from harness.model import MarkerKind
from harness.runner import run_scenario
from tests.e2e_support import sim_with_apps
from tests.runner.test_scenario_run import markers, scenario

APP = "com.example.compliant"  # asks for ACCESS_FINE_LOCATION after consent (its spec)


@pytest.fixture(scope="module")
def google() -> Iterator[Device]:
    cluster: Any
    for cluster in sim_with_apps(profile="google"):
        yield connect(cluster.serials[0],
                      AdbServer(host=cluster.adb_host, port=cluster.adb_port))


def _granted(device: Device) -> dict[str, bool]:
    text = device.shell(["dumpsys", "package", APP]).stdout
    return {m[1].rsplit(".", 1)[-1]: m[2] == "true"
            for m in re.finditer(r"([\w.]+): granted=(true|false)", text)}


def _taps(trace: Path) -> list[str]:
    return [m.detail["why"] for m in markers(trace, MarkerKind.HOST_ACTION)
            if m.source == "host" and m.detail.get("action") == "tap"]


@pytest.mark.parametrize(("answer", "taps", "fine", "coarse"), [
    ("allow_approximate", ["permission approximate location", "permission allow_approximate"],
     False, True),
    ("allow_once", ["permission allow_once"], True, False),  # the app asked for FINE only
])
def test_android_12_answers_grant_what_the_user_chose(
    tmp_path: Path, google: Device, answer: str, taps: list[str], fine: bool, coarse: bool
) -> None:
    sc = scenario(tmp_path, f"""
name: compliant {answer}
app: {APP}
steps: [{{wait_for_consent: {{timeout: 15}}}}, agree, {{permissions: {answer}}}, {{observe: 1}}]
""")
    result = run_scenario(sc, google, tmp_path / "out")
    assert result.error is None, result.error
    trace = tmp_path / "out" / "trace.jsonl"
    assert _taps(trace)[-len(taps):] == taps
    if answer == "allow_once":
        answered = [m.detail["text"] for m in markers(trace, MarkerKind.PERMISSION_RESULT)]
        assert answered == ["Only this time"]
    granted = _granted(google)
    assert (granted.get("ACCESS_FINE_LOCATION"), granted.get("ACCESS_COARSE_LOCATION")) == (
        fine, coarse), granted
