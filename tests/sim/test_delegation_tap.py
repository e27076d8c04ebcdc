"""The simulator alone (no Frida): delegating overloads and the framework's own calls in the
ground-truth tap. An app call is one tap record however many overloads it passes through;
a call the framework makes by itself is tapped with ``"framework": true``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import adbutils
import pytest
from test_runtime_support import need_jdk
from tests_sim_helpers import wait_for

from harness.sim import SimCluster
from tests.instrument.test_delegation import LOCATION4, PACKAGE, QUERY5, TAP, _package

WAIT = 90.0  # the first launch compiles the app; a wait bound, never asserted on


@pytest.fixture(scope="module")
def device(tmp_path_factory: pytest.TempPathFactory) -> Iterator[adbutils.AdbDevice]:
    need_jdk()
    with SimCluster(count=1, preinstall=False) as cluster:
        dev = cluster.client().device(cluster.serials[0])
        # the same app as the Frida test, its calls moved before consent (no tap needed)
        apk: Path = _package(tmp_path_factory.mktemp("deleg"), collect_when="on_main")
        dev.install(str(apk), nolaunch=True, silent=True)
        for perm in ("READ_CONTACTS", "ACCESS_FINE_LOCATION"):
            dev.shell(f"pm grant {PACKAGE} android.permission.{perm}")
        yield dev


def _tap(dev: adbutils.AdbDevice) -> list[dict]:
    out = dev.shell2(f"cat {TAP}").output
    return [json.loads(line) for line in out.splitlines() if line.endswith("}")]


def test_one_record_per_app_call_and_the_framework_call_flagged(
        device: adbutils.AdbDevice) -> None:
    device.shell(f"rm -f {TAP}")
    device.shell(f"am start -n {PACKAGE}/.MainActivity")
    wanted = ("requestLocationUpdates", "hasPrimaryClip")
    wait_for(lambda: all(any(w in t["api"] for t in _tap(device)) for w in wanted), WAIT)
    tap = _tap(device)
    device.shell(f"am force-stop {PACKAGE}")
    assert [t["api"] for t in tap if ".query(" in t["api"]] == [
        f"android.content.ContentResolver.query({QUERY5})"]
    assert [t["api"] for t in tap if ".getInstalledPackages(" in t["api"]] == [
        "android.app.ApplicationPackageManager.getInstalledPackages(int)"]
    assert [t["api"] for t in tap if ".requestLocationUpdates(" in t["api"]] == [
        f"android.location.LocationManager.requestLocationUpdates({LOCATION4})"]
    app = [t for t in tap if not t.get("framework")]
    assert all(any(f.startswith(f"{PACKAGE}.Probe.") for f in t["frames"]) for t in app), app
    clip = [t for t in tap if t.get("framework")]
    assert [t["api"] for t in clip] == ["android.content.ClipboardManager.hasPrimaryClip()"]
    assert not [f for f in clip[0]["frames"] if not f.startswith(("android.", "java."))]
