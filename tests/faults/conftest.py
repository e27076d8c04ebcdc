from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from tests.e2e_support import sim_with_apps


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    yield from sim_with_apps()


@pytest.fixture
def device(cluster: Any) -> Iterator[Device]:
    serial = cluster.serials[0]
    dev = connect(serial, AdbServer(host=cluster.adb_host, port=cluster.adb_port))
    yield dev
    cluster.control(serial).clear_faults()
    dev.wait_online(60)
