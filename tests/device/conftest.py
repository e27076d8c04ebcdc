"""One simulated device for the device-core tests, reached only over adb.

Apps are run by the simulator's stand-in launcher (tests/sim/stubapp.py: a window with
a "Privacy Policy" dialog and Agree/Disagree buttons), so these tests need no JVM.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.device import AdbServer, Device, connect
from tests.e2e_support import require

REPO = Path(__file__).resolve().parents[2]
STUB_LAUNCHER = f"{REPO / 'tests' / 'sim' / 'stubapp.py'}:launch_argv"
PACKAGE = "com.example.devtest"
PERMISSIONS = [
    "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.CAMERA",
    "android.permission.READ_CONTACTS",
]


def sim_package(package: str = PACKAGE, **fields: Any) -> bytes:
    manifest = {
        "format": 1,
        "package": package,
        "label": "DevTest",
        "version_name": "2.5",
        "version_code": 25,
        "main_activity": ".MainActivity",
        "permissions": PERMISSIONS,
    }
    manifest.update(fields)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
    return buf.getvalue()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    try:
        from harness.sim import SimCluster
    except ImportError as exc:
        require("harness.sim", str(exc))
    if not Path(STUB_LAUNCHER.rsplit(":", 1)[0]).is_file():
        require("tests/sim/stubapp.py", "the stand-in sim app")
    with SimCluster(count=1, preinstall=False, launcher=STUB_LAUNCHER) as running:
        yield running


@pytest.fixture(scope="session")
def adb(cluster: Any) -> AdbServer:
    return AdbServer(port=cluster.adb_port)


@pytest.fixture
def device(cluster: Any, adb: AdbServer) -> Iterator[Device]:
    """The device; faults cleared, connection restored and the test app removed after."""
    serial = cluster.serials[0]
    dev = connect(serial, adb)
    yield dev
    cluster.control(serial).clear_faults()
    dev.wait_online(30)
    dev.shell(["pm", "uninstall", PACKAGE])


@pytest.fixture
def apk(tmp_path: Path) -> Path:
    path = tmp_path / "devtest.apk"
    path.write_bytes(sim_package())
    return path


@pytest.fixture
def installed(device: Device, apk: Path) -> str:
    device.install(apk)
    return PACKAGE
