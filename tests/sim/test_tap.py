"""The ground-truth tap: every call of a sensitive surface method is recorded inside the stub
(no Frida) in a device file the test bed reads over adb — here checked over the real adb."""

from __future__ import annotations

import json
from collections.abc import Iterator

import adbutils
import pytest
from test_runtime_support import need_jdk
from tests_sim_helpers import wait_for

from harness.sim import SimCluster
from harness.sim.apps import bundled_packages

WAIT = 90.0  # the first launch of each app compiles it; a wait bound, never asserted on
TAP = "/data/system/sim-tap/com.example.news.jsonl"


@pytest.fixture(scope="module")
def device() -> Iterator[adbutils.AdbDevice]:
    need_jdk()
    bundled_packages()
    with SimCluster(count=1, preinstall=True) as cluster:
        yield cluster.client().device(cluster.serials[0])


def _tap(dev: adbutils.AdbDevice) -> list[dict]:
    out = dev.shell2(f"cat {TAP}").output
    return [json.loads(line) for line in out.splitlines() if line.endswith("}")]


def test_tap_records_each_call_with_thread_time_and_caller(device: adbutils.AdbDevice) -> None:
    device.shell(f"rm -f {TAP}")
    device.shell("am start -n com.example.news/.MainActivity")
    # news: the analytics SDK fingerprints the device in Application.onCreate
    wait_for(lambda: any("getInstalledPackages" in c["api"] for c in _tap(device)), WAIT)
    calls = _tap(device)
    device.shell("am force-stop com.example.news")
    pid = {c["pid"] for c in calls}
    assert len(pid) == 1 and all(c["process"] == "com.example.news" for c in calls)
    android_id = next(c for c in calls if c["api"].startswith("android.provider.Settings$Secure"))
    assert android_id["api"] == ("android.provider.Settings$Secure.getString"
                                 "(android.content.ContentResolver,java.lang.String)")
    assert android_id["args"][1] == "android_id" and android_id["thread"] == "main"
    assert android_id["frames"][0].startswith("com.example.sdk.analytics.AnalyticsAgent.")
    assert all(isinstance(c["t"], int) and c["t"] > 0 for c in calls)
    assert [c["t"] for c in calls] == sorted(c["t"] for c in calls)  # one thread: in order
    # a guarded call is recorded even when it throws (the app lacks READ_PHONE_STATE here)
    assert any(c["api"] == "android.telephony.TelephonyManager.getImei()" for c in calls)


def test_tap_keeps_a_killed_process_calls(device: adbutils.AdbDevice) -> None:
    """Every line is written at once (O_APPEND): force-stop loses nothing recorded."""
    device.shell(f"rm -f {TAP}")
    device.shell("am start -n com.example.news/.MainActivity")
    wait_for(lambda: len(_tap(device)) >= 5, WAIT)
    device.shell("am force-stop com.example.news")
    assert len(_tap(device)) >= 5
