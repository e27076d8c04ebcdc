"""Hook recall against the simulator's ground-truth tap (DESIGN §5, §8).

Sim apps run standard scenarios through the harness (the real runner, real Frida, real JVMs);
afterwards the tap — recorded inside the stubs, never by Frida — is read over adb. Every
tapped call whose API (class, method, overload, argument matcher) the catalog covers must be
in the trace: recall 100 %. Tapped APIs the catalog does not cover are listed, computed from
the tap (``benchmarks/bench_recall.py`` prints the full table).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.catalog import load_catalog
from harness.device import Device
from harness.sim.appbuild import load_spec
from harness.sim.apps import spec_paths
from tests.recall.conftest import APPS_DIR
from tests.recall.measure import UNACCOUNTED, measure, render

SPECS = {load_spec(p).package: load_spec(p) for p in [*spec_paths(), *APPS_DIR.glob("*.yaml")]}
#: The load-test app collects only when its button is tapped.
SKIP = {"com.example.burst"}
#: Every app agrees (its pre- and post-consent code; observe when it has no dialog); two
#: also observe and refuse.
RUNS = [(app, "observe" if SPECS[app].consent.dialog == "none" else "agree")
        for app in sorted(SPECS) if app not in SKIP] + [
    (app, kind) for app in ("com.example.news", "com.example.probe")
    for kind in ("observe", "refuse")
]


def _early_prompt(app: str) -> bool:
    return any(r.when in ("on_create", "on_main") for r in SPECS[app].permission_requests)


@pytest.mark.parametrize(("app", "kind"), RUNS)
def test_every_covered_tapped_call_is_in_the_trace(app: str, kind: str, device: Device,
                                                   tmp_path: Path) -> None:
    recall = measure(device, app, kind, tmp_path, early_prompt=_early_prompt(app),
                     catalog=load_catalog())
    assert not [m for m in recall.mismatches if m.startswith("error")], recall.mismatches
    missed = {api: n for api, n in recall.missed.items() if n}
    assert not missed, render([recall])
    # every tapped API is hooked, or excluded with a documented reason
    assert not [api for api in recall.uncovered if UNACCOUNTED in api], render([recall])
    if app == "com.example.probe":
        # the probe's own free-form calls (on_main: before any answer) all reach the tap,
        # whether the catalog hooks them or not; each is either judged or listed uncovered
        wanted = {inv.api for a in SPECS[app].actions if a.when == "on_main" for inv in a.invoke}
        tapped = {api.split("(")[0] for api in recall.apis}
        assert wanted <= tapped, sorted(wanted - tapped)
        assert sum(recall.uncovered.values()) + sum(recall.tapped.values()) >= len(wanted)
