"""End to end on a real sim app (a JVM process): install, start, pidof, find the
consent dialog with the default matchers, agree. Needs a JDK (a failure on CI)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from harness.ui import find_consent

from .conftest import require

NEWS = "com.example.news"


@pytest.fixture(scope="module")
def jvm_device() -> Iterator[Device]:
    if shutil.which("javac") is None:
        require("a JDK (javac)", "the sim apps are JVM programs")
    try:
        from harness.sim import SimCluster, apps
    except ImportError as exc:
        require("harness.sim.apps", str(exc))
    packages = [p for p in apps.bundled_packages() if p.name.startswith(NEWS + ".")]
    if not packages:
        require(f"the bundled {NEWS} sim app", "not shipped")
    with SimCluster(count=1, preinstall=False) as cluster:
        dev = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
        dev.install(packages[0])
        yield dev


def _until(check: Any, what: str, timeout: float = 180.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_news_app_consent_dialog_found_and_agreed(jvm_device: Device) -> None:
    dev = jvm_device
    assert dev.package_info(NEWS) is not None
    dev.clear_data(NEWS)
    dev.revoke_all(NEWS)
    dev.start(NEWS)
    assert dev.wait_pid(NEWS, 180) > 0  # the first start compiles the app

    def dialog_with_buttons() -> Any:
        found = find_consent(dev.dump_ui())
        return found if found and found.agree and found.refuse else None

    dialog = _until(dialog_with_buttons, "the consent dialog")
    assert dialog.package == NEWS
    assert (dialog.agree.label, dialog.refuse.label) == ("同意", "不同意")
    dev.tap(*dialog.agree.center)
    _until(lambda: find_consent(dev.dump_ui()) is None, "the dialog to close", 60)
    dev.force_stop(NEWS)


def test_swipe_scrolls_the_settings_screen(jvm_device: Device) -> None:
    from harness.errors import DeviceError
    from harness.ui import TextMatcher

    dev = jvm_device
    build = TextMatcher.exact("版本号")
    dev.start(NEWS, ".SettingsActivity")

    def scrollable() -> Any:
        return [n for n in dev.dump_ui().iter() if n.scrollable]

    view = _until(scrollable, "the settings list")[0]
    assert dev.dump_ui().find_first(build) is None  # below the screen: not in the dump
    x, (top, bottom) = view.center[0], (view.bounds.top, view.bounds.bottom)
    for _ in range(3):  # the list is about two screens long
        dev.swipe(x, bottom - 100, x, top + 100)
    row = dev.dump_ui().find_first(build)
    assert row is not None and view.bounds.contains(*row.center)
    with pytest.raises(DeviceError, match="not a screen coordinate"):
        dev.swipe(x, -1, x, top)
    with pytest.raises(DeviceError, match="swipe duration"):
        dev.swipe(x, bottom, x, top, duration_ms=-5)
    dev.force_stop(NEWS)
