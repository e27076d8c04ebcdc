"""A simulated device of this folder's own, for the tests that launch sim apps with hooks
(one per test module: each module's apps start from a fresh device)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.hooks.probe import require_tools


@pytest.fixture(scope="module")
def sim() -> Iterator[Any]:
    require_tools()
    from harness.sim import SimCluster

    with SimCluster(count=1, preinstall=True) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def device(sim: Any) -> Any:
    from harness.device import AdbServer, connect

    return connect(sim.serials[0], AdbServer(host=sim.adb_host, port=sim.adb_port))
