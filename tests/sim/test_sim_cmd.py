"""``consent-harness sim serve``: serials printed, reachable by adb, clean Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys

from harness.sim.cluster import adb_binary, free_port


def test_serve_and_ctrl_c() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from harness.cli.main import main; main()", "sim", "serve",
         "--port", str(port), "--count", "2", "--no-apps"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    adb_port = free_port()
    adb = [adb_binary(), "-P", str(adb_port)]
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline().strip(), proc.stdout.readline().strip()
        assert (first, second) == (f"127.0.0.1:{port}", f"127.0.0.1:{port + 1}")
        assert proc.stdout.readline().strip() == "connect with:"
        assert proc.stdout.readline().strip() == f"adb connect 127.0.0.1:{port}"
        # never capture start-server's output: the server it forks keeps the pipes open
        subprocess.run([*adb, "start-server"], check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = subprocess.run([*adb, "connect", first], capture_output=True, text=True,
                             timeout=60).stdout
        assert "connected" in out
        subprocess.run([*adb, "-s", first, "wait-for-device"], check=True, timeout=60)
        result = subprocess.run([*adb, "-s", first, "shell", "getprop ro.harness.sim"],
                                capture_output=True, text=True)
        assert result.stdout == "1\n"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0
        assert "simulated devices stopped" in err
    finally:
        subprocess.run([*adb, "kill-server"], capture_output=True)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_serve_refuses_emulator_ports() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from harness.cli.main import main; main()", "sim", "serve",
         "--port", "5554", "--count", "2", "--no-apps"], capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 3
    assert "5555-5585" in result.stderr
