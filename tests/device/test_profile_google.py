"""The device core and the prompt matchers on the simulator's ``google`` profile (a user
build with Google's permission controller), over adb: Android 12+ prompts answered by
resource id, and a debug-wait start that Android would silently ignore refused up front."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.device import AdbServer, DebugWaitRefused, Device, connect
from harness.device.parse import parse_app_debuggable
from harness.ui import find_consent
from harness.ui.permissions import (
    allow_button,
    deny_button,
    is_permission_prompt,
    location_accuracy,
)
from tests.device.conftest import PACKAGE, STUB_LAUNCHER, sim_package
from tests.device.prompt_support import prompt_asking as _prompt
from tests.device.prompt_support import wait_until as _wait

FINE = "android.permission.ACCESS_FINE_LOCATION"
COARSE = "android.permission.ACCESS_COARSE_LOCATION"
CAMERA = "android.permission.CAMERA"


@pytest.fixture(scope="module")
def google() -> Iterator[Any]:
    from harness.sim import SimCluster

    with SimCluster(count=1, preinstall=False, launcher=STUB_LAUNCHER,
                    profile="google") as running:
        yield running


@pytest.fixture
def gdevice(google: Any) -> Iterator[Device]:
    dev = connect(google.serials[0], AdbServer(port=google.adb_port))
    yield dev
    dev.shell(["pm", "uninstall", PACKAGE])


def _install(device: Device, tmp_path: Any, **manifest: Any) -> str:
    apk = tmp_path / "devtest.apk"
    apk.write_bytes(sim_package(**manifest))
    device.install(apk)
    return PACKAGE




def test_android_12_prompts_answered_by_resource_id(gdevice: Device, tmp_path: Any) -> None:
    pkg = _install(gdevice, tmp_path, permissions=[FINE, COARSE, CAMERA])
    gdevice.start(pkg)
    dialog = _wait(lambda: find_consent(gdevice.dump_ui()), "the consent dialog")
    assert dialog.agree is not None
    gdevice.tap(*dialog.agree.center)
    _wait(lambda: find_consent(gdevice.dump_ui()) is None or None, "the dialog to close")
    gdevice.tap(540, 360)  # the stand-in app's "Locate": asks for location, then camera

    tree = _wait(lambda: _prompt(gdevice, "location"), "the location prompt")
    allow = allow_button(tree)  # no plain Allow on Android 12+: While using the app
    assert allow is not None and allow.label == "While using the app"
    assert allow.resource_id.endswith(":id/permission_allow_foreground_only_button")
    approximate = location_accuracy(tree, precise=False)
    assert approximate is not None and location_accuracy(tree, precise=True) is not None
    gdevice.tap(*approximate.center)
    gdevice.tap(*allow.center)
    tree = _wait(lambda: _prompt(gdevice, "pictures"), "the camera prompt")
    assert location_accuracy(tree, precise=True) is None
    once = allow_button(tree, "one_time")
    assert once is not None and once.label == "Only this time"
    assert deny_button(tree) is not None
    gdevice.tap(*once.center)
    _wait(lambda: not is_permission_prompt(gdevice.dump_ui()) or None, "the prompts to go")
    dump = gdevice.shell_ok(["dumpsys", "package", pkg]).stdout
    assert f"{COARSE}: granted=true" in dump and f"{FINE}: granted=false" in dump
    assert f"{CAMERA}: granted=true" in dump


def test_debug_wait_of_a_non_debuggable_app_is_refused(gdevice: Device, tmp_path: Any) -> None:
    pkg = _install(gdevice, tmp_path, debuggable=False)
    assert not gdevice.can_wait_debugger(pkg)
    with pytest.raises(DebugWaitRefused) as refused:
        gdevice.start(pkg, wait_debugger=True)
    message = str(refused.value)
    assert "not debuggable" in message and "ro.debuggable=0" in message
    assert "spawn" in message and "--sim-profile aosp" in message
    assert gdevice.pidof(pkg) is None  # nothing was started
    gdevice.start(pkg)  # an ordinary start is fine


def test_debug_wait_of_a_debuggable_app_on_google(gdevice: Device, tmp_path: Any) -> None:
    pkg = _install(gdevice, tmp_path)
    assert gdevice.can_wait_debugger(pkg)
    gdevice.start(pkg, wait_debugger=True)
    gdevice.wait_pid(pkg, 30)
    gdevice.force_stop(pkg)


def test_userdebug_build_debugs_any_app(device: Device, tmp_path: Any) -> None:
    pkg = _install(device, tmp_path, debuggable=False)
    assert device.can_wait_debugger(pkg)  # ro.debuggable=1 (the aosp profile)


def test_parse_app_debuggable() -> None:
    dump = ("Packages:\n  Package [com.a] (1):\n    userId=10001\n"
            "    flags=[ DEBUGGABLE HAS_CODE ALLOW_CLEAR_USER_DATA ]\n")
    assert parse_app_debuggable(dump, "com.a") is True
    assert parse_app_debuggable(dump.replace("DEBUGGABLE ", ""), "com.a") is False
    assert parse_app_debuggable(dump, "com.b") is None
    assert parse_app_debuggable("Packages:\n  Package [com.a] (1):\n", "com.a") is None
