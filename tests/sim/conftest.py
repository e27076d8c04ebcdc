"""Shared fixtures for the simulated-device tests: one cluster per test session.

The cluster runs the stand-in app (tests/sim/stubapp.py) so these tests do not depend
on the JVM app runtime; it has two devices, a private adb server, and leaves nothing
running when the session ends.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.sim import SimCluster

STUB_LAUNCHER = f"{Path(__file__).with_name('stubapp.py')}:launch_argv"
STUB_PACKAGE = "com.example.stub"
STUB_PERMS = ["android.permission.ACCESS_FINE_LOCATION", "android.permission.CAMERA"]


def sim_package(package: str = STUB_PACKAGE, **fields: Any) -> bytes:
    """A minimal sim package: a zip with manifest.json."""
    manifest = {"format": 1, "package": package, "label": "Stub", "version_name": "1.2",
                "version_code": 12, "main_activity": ".MainActivity", "permissions": STUB_PERMS}
    manifest.update(fields)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("classes/readme.txt", "stand-in app")
    return buf.getvalue()


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
