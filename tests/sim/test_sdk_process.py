"""An SDK in a process of its own (``android:process=":push"``), on the simulated device:
the app starts it, ``ps``/``pidof`` list it, its calls are tapped with its name, it dies with
the app on force-stop, and ``am set-debug-app`` holds it before its first instruction as
ActivityManagerService does (the debug app names a PROCESS; one at a time; transient or
persistent). Real adb, the real app JVMs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import adbutils
import pytest
from tests_sim_helpers import wait_for

from harness.sim import SimCluster
from harness.sim.procs import DebugApp

APP = "com.example.courier"
PUSH = f"{APP}:push"
TAP = f"/data/system/sim-tap/{APP}.jsonl"


def test_debug_app_follows_activity_manager() -> None:
    debug = DebugApp()
    debug.set(PUSH, wait=True, persistent=True)
    # `am start -D` for the main process: transient, over the persistent setting
    debug.set(APP, wait=True, persistent=False)
    assert not debug.take(PUSH)  # one name at a time: the push process does not wait now
    assert debug.take(APP)  # the main process consumes the transient setting…
    assert debug.take(PUSH) and debug.take(PUSH)  # …and the persistent one is back, and stays
    debug.set(None, wait=False, persistent=True)  # am clear-debug-app
    assert not debug.take(PUSH) and not debug.take(APP)
    debug.set(PUSH, wait=True, persistent=False)
    assert debug.take(PUSH) and not debug.take(PUSH)  # transient: consumed once


@pytest.fixture(scope="module")
def device() -> Iterator[adbutils.AdbDevice]:
    with SimCluster(count=1, preinstall=True) as cluster:
        yield cluster.client().device(cluster.serials[0])


def _ps(device: adbutils.AdbDevice) -> dict[str, int]:
    rows = device.shell("ps -A").splitlines()[1:]
    return {r.split()[-1]: int(r.split()[1]) for r in rows if r.split()}


def _tap(device: adbutils.AdbDevice) -> list[dict[str, object]]:
    out = device.shell2(f"cat {TAP}", v2=True)
    return [json.loads(x) for x in out.stdout.splitlines() if x.endswith("}")]


def test_the_app_starts_its_push_process_which_dies_with_it(device: adbutils.AdbDevice) -> None:
    device.shell(f"rm -f {TAP}")
    device.shell(f"am start -n {APP}/.MainActivity")
    procs = wait_for(lambda: (p := _ps(device)) and PUSH in p and p)
    assert procs[PUSH] != procs[APP]
    assert device.shell(f"pidof {PUSH}").strip() == str(procs[PUSH])
    pushed = wait_for(lambda: [c for c in _tap(device) if c["process"] == PUSH])
    assert {c["pid"] for c in pushed} == {procs[PUSH]}
    assert any("android_id" in str(c["args"]) for c in pushed)
    # the app's own process waits for consent: nothing of it is tapped
    assert not [c for c in _tap(device) if c["process"] == APP]
    device.shell(f"am force-stop {APP}")
    wait_for(lambda: APP not in _ps(device) and PUSH not in _ps(device))


def test_set_debug_app_holds_the_push_process(device: adbutils.AdbDevice) -> None:
    device.shell(f"rm -f {TAP}")
    device.shell("logcat -c")
    assert device.shell2(f"am set-debug-app -w --persistent {PUSH}", v2=True).returncode == 0
    try:
        device.shell(f"am start -n {APP}/.MainActivity")
        wait_for(lambda: f"Waiting for debugger: {PUSH}" in device.shell("logcat -d"))
        # the debug app names a process: the main one (the package) did not wait
        log = device.shell("logcat -d").splitlines()
        assert not [x for x in log if x.endswith(f"Waiting for debugger: {APP}")]
        assert PUSH in _ps(device)
        assert not [c for c in _tap(device) if c["process"] == PUSH]  # held before app code
    finally:
        device.shell("am clear-debug-app")
        device.shell(f"am force-stop {APP}")
    wait_for(lambda: PUSH not in _ps(device))
    # cleared: a plain start lets the push process run at once
    device.shell(f"am start -n {APP}/.MainActivity")
    try:
        wait_for(lambda: [c for c in _tap(device) if c["process"] == PUSH])
    finally:
        device.shell(f"am force-stop {APP}")


def test_set_debug_app_usage_errors(device: adbutils.AdbDevice) -> None:
    bad = device.shell2("am set-debug-app -w 'x;rm -rf /'", v2=True)
    assert bad.returncode != 0
    assert device.shell2("am set-debug-app", v2=True).returncode != 0
