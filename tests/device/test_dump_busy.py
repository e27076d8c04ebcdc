"""``Device.dump_ui`` against a screen that animates (the simulator's uiautomator waits for
idle as Android's does), over the real adb server and adbutils."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.device import AdbServer, Device, UiBusy, connect
from harness.ui import TextMatcher, UiTree
from tests.sim.test_dump_active import PACKAGE, STANDIN, standin_package


@pytest.fixture(scope="module")
def device(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Device]:
    from harness.sim import SimCluster

    apk: Path = tmp_path_factory.mktemp("dumpbusy") / "dumptest.apk"
    apk.write_bytes(standin_package())
    with SimCluster(count=1, preinstall=False, launcher=STANDIN) as cluster:
        dev = connect(cluster.serials[0], AdbServer(port=cluster.adb_port))
        dev.install(apk)
        yield dev


def _dialog(device: Device) -> UiTree:
    deadline = time.monotonic() + 60
    while True:
        try:
            tree = device.dump_ui()
            if tree.find(TextMatcher.exact("Bounce")):
                return tree
        except UiBusy:
            pass
        assert time.monotonic() < deadline, "the stand-in's dialog never showed"
        time.sleep(0.2)


def test_dump_ui_is_busy_while_animating_then_returns_once_idle(device: Device) -> None:
    device.force_stop(PACKAGE)
    device.start(PACKAGE, ".MainActivity")
    spin = _dialog(device).find(TextMatcher.exact("Spin"))[0]
    device.tap(*spin.center)  # animates until tapped again

    began = time.monotonic()
    with pytest.raises(UiBusy, match="screen busy|could not get idle state"):
        device.dump_ui(budget=1.5)
    # Bounded by its budget, not by uiautomator's own 10 s idle wait (the margin is for a
    # loaded machine; unbounded, this takes 10 s).
    assert time.monotonic() - began < 8.0

    # Another adb client stops the animation while dump_ui keeps trying.
    other = connect(device.serial, device.adb)
    stopper = threading.Timer(2.0, other.tap, spin.center)
    stopper.start()
    try:
        tree = device.dump_ui(attempts=100, timeout=2.0, budget=60.0)
    finally:
        stopper.join()
    assert tree.find(TextMatcher.exact("Spin")), "the dialog once the animation stopped"
    device.force_stop(PACKAGE)
