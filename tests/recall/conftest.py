from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from harness.sim.appbuild import build_package
from tests.e2e_support import sim_with_apps

APPS_DIR = Path(__file__).resolve().parent / "apps"


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    yield from sim_with_apps()


@pytest.fixture(scope="session")
def device(cluster: Any) -> Device:
    """The simulated device, with the bundled apps and the test bed's own apps installed."""
    dev = connect(cluster.serials[0], AdbServer(host=cluster.adb_host, port=cluster.adb_port))
    out = Path(tempfile.mkdtemp(prefix="recall-apps-"))
    for spec in sorted(APPS_DIR.glob("*.yaml")):
        dev.install(build_package(spec, out))
    return dev
