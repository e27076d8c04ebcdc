"""Shared fixtures for the simulated-device tests: one cluster per test session.

The cluster runs the stand-in app (tests/sim/stubapp.py) so these tests do not depend
on the JVM app runtime; it has two devices, a private adb server, and leaves nothing
running when the session ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import adbutils
import pytest
from test_runtime_support import need_jdk
from tests_sim_helpers import STUB_PACKAGE, sim_package

from harness.sim import SimCluster
from harness.sim.apps import bundled_packages

STUB_LAUNCHER = f"{Path(__file__).with_name('stubapp.py')}:launch_argv"


@pytest.fixture(scope="session")
def cluster() -> Iterator[SimCluster]:
    with SimCluster(count=2, preinstall=False, launcher=STUB_LAUNCHER) as running:
        yield running


@pytest.fixture
def serial(cluster: SimCluster) -> Iterator[str]:
    """The first device, reset after the test: faults cleared, stub app removed."""
    serial = cluster.serials[0]
    yield serial
    cluster.control(serial).clear_faults()
    cluster.connect(serial)  # a fault test may have dropped the connection
    cluster.client().device(serial).shell2(f"pm uninstall {STUB_PACKAGE}")


@pytest.fixture
def stub_apk(tmp_path: Path) -> Path:
    path = tmp_path / "stub.apk"
    path.write_bytes(sim_package())
    return path


@pytest.fixture(scope="module")
def device() -> Iterator[adbutils.AdbDevice]:
    """A simulated device with the bundled sim apps (real app JVMs), one per test module."""
    need_jdk()
    bundled_packages()  # build before the device starts, outside its readiness timeout
    with SimCluster(count=1, preinstall=True) as cluster:
        yield cluster.client().device(cluster.serials[0])
