"""A simulated app whose classes come from its own loaders, traced end to end (real sim, adb,
Frida): an SDK it loads a few seconds after launch through a DexClassLoader is hooked
before its first call, and the trace says when and through which loader."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from harness.runner import run_scenario
from harness.scenario import load_scenarios
from tests.hooks.probe import require_tools

APP = Path(__file__).with_name("simapp")
PACKAGE = "com.example.plugins"


@pytest.fixture(scope="module")
def device(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Device]:
    require_tools()
    from harness.sim.cluster import SimCluster

    apk = tmp_path_factory.mktemp("apk") / f"{PACKAGE}.apk"
    with zipfile.ZipFile(apk, "w") as z:
        for f in sorted(APP.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(APP).as_posix())
    with SimCluster(count=1, preinstall=False) as cluster:
        dev = connect(cluster.serials[0], AdbServer(host=cluster.adb_host, port=cluster.adb_port))
        dev.install(apk)
        yield dev


def records(trace: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in trace.read_text("utf-8").splitlines() if line.strip()]


def test_an_sdk_loaded_later_through_a_dex_class_loader_is_hooked_before_its_calls(
    device: Device, tmp_path: Path
) -> None:
    scenario = tmp_path / "plugins.yaml"
    scenario.write_text(f"name: plugins observe\napp: {PACKAGE}\nsteps:\n  - observe: 6\n",
                        encoding="utf-8")
    (only,) = load_scenarios(scenario)
    run_scenario(only, device, tmp_path / "run")
    recs = records(tmp_path / "run" / "trace.jsonl")
    ready = [r for r in recs if r.get("marker") == "hooks_ready"]
    assert "androidx.ad_id" in ready[0]["detail"]["pending"]
    late = [r for r in ready if r["detail"].get("phase") == "late"
            and r["detail"]["loader"] == "dalvik.system.DexClassLoader"]
    assert len(late) == 1 and late[0]["detail"]["resolved"] == ["androidx.ad_id"]
    assert late[0]["detail"]["late"] == []  # hooked before any code of the SDK ran
    calls = [r for r in recs if r.get("kind") == "call" and r.get("api") == "androidx.ad_id"]
    assert len(calls) == 2 and all(c["ret"] for c in calls)  # values are redacted in traces
    # the load came seconds after the app's own loader (the PathClassLoader, at bind)
    app_loader = [r for r in ready if r["detail"].get("phase") == "late"
                  and r["detail"]["loader"] == "dalvik.system.PathClassLoader"]
    assert late[0]["ts"] - (app_loader[0]["ts"] if app_loader else ready[0]["ts"]) > 1000
    assert all(c["ts"] >= late[0]["ts"] for c in calls)
