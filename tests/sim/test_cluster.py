"""SimCluster leaves nothing behind, even when its device process is killed."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

from tests_sim_helpers import STUB_PACKAGE, wait_for

from harness.sim import SimCluster

STUB_LAUNCHER = f"{Path(__file__).with_name('stubapp.py')}:launch_argv"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose: it runs nothing and holds no port.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ", 1)[1][0] != "Z"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_no_process_or_port_left(stub_apk: Path) -> None:
    with SimCluster(count=1, preinstall=False, launcher=STUB_LAUNCHER) as cluster:
        device = cluster.client().device(cluster.serials[0])
        device.install(str(stub_apk), nolaunch=True, silent=True)
        device.app_start(STUB_PACKAGE, ".MainActivity")
        app_pid = int(wait_for(lambda: device.shell2(f"pidof {STUB_PACKAGE}").output.strip()))
        ports = [cluster.adb_port, int(cluster.serials[0].rsplit(":", 1)[1])]
        child = cluster.device_pid
        assert child is not None
        # Killing the device process outright takes its app JVMs with it.
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: not _alive(app_pid))
    assert not _alive(child)
    assert not any(_listening(port) for port in ports)
