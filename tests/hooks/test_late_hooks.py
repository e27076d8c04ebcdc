"""Hooks on classes of class loaders made after init (the app's own, a plug-in's), on HotSpot.

The probe makes its loaders only after the agent's init, as an Android app under spawn or
debug-wait does: a PathClassLoader (the app's), a DexClassLoader (a plug-in SDK, child of
the app's) and a plain URLClassLoader (no Android kind: only the agent's sweep finds it).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.hooks.probe import ProbeProcess, late_classes, late_entries, probe_entries, require_tools
from tests.hooks.test_agent import Agent

pytestmark = pytest.mark.usefixtures("tools")


@pytest.fixture(scope="module")
def tools() -> None:
    require_tools()


def ready_markers(items: list[dict[str, Any]], phase: str) -> list[dict[str, Any]]:
    return [i["detail"] for i in items if i["type"] == "marker" and i["kind"] == "hooks_ready"
            and i["detail"].get("phase") == phase]


def calls(items: list[dict[str, Any]], hook_id: str) -> list[dict[str, Any]]:
    return [i for i in items if i["type"] == "call" and i["id"] == hook_id]


def test_classes_of_loaders_made_after_init_are_hooked_before_they_run() -> None:
    dirs = late_classes()
    commands = ["pathload", str(dirs["app"]), "dexload", str(dirs["plugin"]), "hold"]
    with ProbeProcess(commands) as probe:
        agent = Agent(probe, catalog=probe_entries() + late_entries())
        # framework classes not found are absent at once; shipped ones wait for a loader
        assert agent.init["absent"] == ["missing.class"]
        assert sorted(agent.init["pending"]) == [
            "late.ad_id", "late.ad_id_request", "late.beacon", "late.never", "late.oaid"]
        assert agent.init["loader_hook"] == "dalvik.system.BaseDexClassLoader.$init"
        probe.wait_line("DONE hold")
        summary = agent.script.exports_sync.finish()
        items, stacks, other = agent.drain()
        assert probe.proc.poll() is None, "the JVM died"
    assert [o for o in other if o.get("type") == "error"] == []
    # every call: the loader's constructor waited until its classes were hooked (the
    # plug-in's own AdId.getId runs inside its reported getOaid: one app call, one event)
    assert [c["ret"] for c in calls(items, "late.ad_id")] == ["ad-id-1", "ad-id-1"]
    assert [c["ret"] for c in calls(items, "late.oaid")] == ["oaid-ad-id-1"]
    # a String[] argument: converted without the loader (which cannot load array classes)
    assert [(c["args"], c["ret"]) for c in calls(items, "late.ad_id_request")] == [
        (["[ad_id, oaid] (2)"], "2")]
    late = ready_markers(items, "late")
    assert [(m["via"], m["loader"], m["resolved"], m["late"]) for m in late] == [
        ("loader", "dalvik.system.PathClassLoader", ["late.ad_id", "late.ad_id_request"], []),
        ("loader", "dalvik.system.DexClassLoader", ["late.oaid"], []),
    ]
    assert all(m["network"] == agent.init["network"] for m in late)  # the scorer reads it
    first = calls(items, "late.ad_id")[0]
    assert any(f.startswith("com.example.probe.ProbeApp.pathLoad") for f in stacks[first["stack"]])
    # the loader marker precedes the calls it made possible
    assert items.index(first) > items.index(next(
        i for i in items if i["type"] == "marker" and i["detail"].get("phase") == "late"))
    final = ready_markers(items, "final")
    assert len(final) == 1 and sorted(final[0]["absent"]) == ["late.beacon", "late.never"]
    assert sorted(summary["absent"]) == ["late.beacon", "late.never"]
    assert summary["late"] == []
    assert sorted(summary["resolved"]) == ["late.ad_id", "late.ad_id_request", "late.oaid"]


def test_a_loader_only_the_sweep_finds_is_reported_late_with_its_blind_window() -> None:
    dirs = late_classes()
    commands = ["urlload", str(dirs["url"]), "stdin", "urlcall", "hold"]
    with ProbeProcess(commands) as probe:
        agent = Agent(probe, catalog=probe_entries() + late_entries())
        probe.wait_line("DONE urlload")
        items: list[dict[str, Any]] = []
        deadline = time.monotonic() + 60
        while not ready_markers(items, "late") and time.monotonic() < deadline:
            agent.script.exports_sync.flush()
            items += agent.drain()[0]
            time.sleep(0.2)
        late = ready_markers(items, "late")
        assert late, "the sweep never found the URLClassLoader's class"
        probe.send_line()
        probe.wait_line("DONE hold")
        agent.script.exports_sync.finish()
        items += agent.drain()[0]
        assert probe.proc.poll() is None, "the JVM died"
    # the class ran before its hook: the marker says so, with the category, and is the
    # moment from which calls are seen
    assert late[0]["via"] == "sweep" and late[0]["resolved"] == []
    assert [(x["id"], x["category"]) for x in late[0]["late"]] == [("late.beacon", "device_id")]
    beacon = calls(items, "late.beacon")
    assert [c["ret"] for c in beacon] == ["beacon"]  # the call before the hook was not seen
    assert sorted(ready_markers(items, "final")[0]["absent"]) == [
        "late.ad_id", "late.ad_id_request", "late.never", "late.oaid"]
