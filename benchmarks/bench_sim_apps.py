"""Sim app runtime figures: cold start to first frame, RSS, burst throughput.

    python benchmarks/bench_sim_apps.py [--runs 7] [--package com.example.compliant]

Cold start = from spawning the JVM (launch contract, in-process bridge standing in for the
device) to its first ``windows`` message. RSS from /proc/<pid>/status once the first frame
is out. Burst = com.example.burst's 100,000 ANDROID_ID reads from 4 threads, uninstrumented.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from harness.sim import runtime
from harness.sim.apps import bundled_packages


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class _Run:
    def __init__(self, app_dir: Path, data: Path) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        port = self.server.getsockname()[1]
        ident = data / "device.json"
        ident.write_text(json.dumps({"android_id": "a1b2c3d4e5f60718", "imei": "861234567890123"}))
        env = dict(
            os.environ,
            SIM_BRIDGE=f"127.0.0.1:{port}",
            SIM_APP_DIR=str(app_dir),
            SIM_PACKAGE=json.loads((app_dir / "manifest.json").read_text())["package"],
            SIM_DATA_DIR=str(data),
            SIM_WAIT_DEBUGGER="0",
            SIM_DEVICE=str(ident),
            SIM_GRANTS="",
        )
        argv = runtime.launch_argv(app_dir, None)  # compiled already: cheap
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.conn, _ = self.server.accept()
        self.file = self.conn.makefile("rb")

    def until(self, pred) -> dict:  # type: ignore[no-untyped-def]
        for line in self.file:
            msg = json.loads(line)
            if pred(msg):
                return msg
        raise RuntimeError("app exited")

    def send(self, msg: dict) -> None:
        self.conn.sendall((json.dumps(msg) + "\n").encode())

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.conn.close()
        self.server.close()


def _install(apk: Path, root: Path) -> Path:
    dest = root / apk.stem
    with zipfile.ZipFile(apk) as z:
        z.extractall(dest)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--package", default="com.example.compliant")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-sim-"))
    apks = {p.stem: p for p in bundled_packages()}
    app = _install(apks[args.package], root)
    t = time.perf_counter()
    runtime.launch_argv(app, None)
    print(f"first launch_argv (build/cache check): {time.perf_counter() - t:.2f} s")

    starts, rss = [], []
    for i in range(args.runs):
        data = root / f"data{i}"
        (data / "shared_prefs").mkdir(parents=True)
        run = _Run(app, data)
        try:
            run.until(lambda m: m.get("t") == "windows")
            starts.append(time.perf_counter() - run.t0)
            rss.append(_rss_kb(run.proc.pid))
        finally:
            run.close()
    print(
        f"{args.package}: cold start to first frame, median of {args.runs}: "
        f"{statistics.median(starts) * 1000:.0f} ms (min {min(starts) * 1000:.0f}, "
        f"max {max(starts) * 1000:.0f})"
    )
    print(f"{args.package}: RSS at first frame, median: {statistics.median(rss) / 1024:.1f} MB")

    burst_app = _install(apks["com.example.burst"], root)
    data = root / "burst"
    (data / "shared_prefs").mkdir(parents=True)
    run = _Run(burst_app, data)
    try:
        win = run.until(lambda m: m.get("t") == "windows")["windows"][-1]

        def find(node: dict) -> dict | None:
            if node.get("text") == "Burst" and node.get("clickable"):
                return node
            for c in node.get("children", []):
                hit = find(c)
                if hit:
                    return hit
            return None

        node = find(win["root"])
        assert node is not None
        t = time.perf_counter()
        run.send({"t": "click", "window": win["id"], "vid": node["vid"]})
        for _ in range(4):
            run.until(lambda m: m.get("t") == "log" and "burst thread done" in m.get("msg", ""))
        dt = time.perf_counter() - t
        print(
            f"burst: 100000 sensitive calls / 4 threads, uninstrumented: {dt * 1000:.0f} ms "
            f"({100000 / dt:,.0f} calls/s); RSS after: {_rss_kb(run.proc.pid) / 1024:.1f} MB"
        )
    finally:
        run.close()


if __name__ == "__main__":
    main()
