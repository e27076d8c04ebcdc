"""Speed of the simulated device over ADB: shell round trips and push throughput.

    /work/venv/bin/python benchmarks/bench_sim_adb.py [--runs N] [--mb SIZE]

Prints medians; asserts nothing (tests never assert on time).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness.sim import SimCluster


def _median_ms(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30, help="shell round trips per method")
    parser.add_argument("--pushes", type=int, default=5, help="pushes per method")
    parser.add_argument("--mb", type=int, default=20, help="size of the pushed file, MB")
    args = parser.parse_args()
    with SimCluster(count=1, preinstall=False) as cluster, \
            tempfile.TemporaryDirectory() as tmp:
        serial = cluster.serials[0]
        device = cluster.client().device(serial)
        cli = [cluster.adb_path, "-P", str(cluster.adb_port), "-s", serial]

        def run_cli(*extra: str) -> None:
            subprocess.run([*cli, *extra], check=True, capture_output=True)

        print(f"device {serial}, adb server port {cluster.adb_port}")
        print(f"shell round trip, adb CLI (v2)      : "
              f"{_median_ms(lambda: run_cli('shell', 'echo x'), args.runs):7.2f} ms median")
        print(f"shell round trip, adbutils shell()  : "
              f"{_median_ms(lambda: device.shell('echo x'), args.runs):7.2f} ms median")
        print(f"shell round trip, adbutils shell2 v2: "
              f"{_median_ms(lambda: device.shell2('echo x', v2=True), args.runs):7.2f} ms median")
        print(f"uiautomator dump + pull (adbutils)  : "
              f"{_median_ms(device.dump_hierarchy, max(5, args.runs // 3)):7.2f} ms median")

        size = args.mb * 1024 * 1024
        src = Path(tmp) / "payload.bin"
        data = os.urandom(size)
        src.write_bytes(data)
        cli_push = _median_ms(lambda: run_cli("push", str(src), "/sdcard/payload.bin"),
                              args.pushes)
        lib_push = _median_ms(lambda: device.sync.push(io.BytesIO(data), "/sdcard/p2.bin"),
                              args.pushes)
        cli_pull = _median_ms(lambda: run_cli("pull", "/sdcard/payload.bin",
                                              str(Path(tmp) / "back.bin")), args.pushes)
        mb = size / 1e6
        print(f"push {args.mb} MiB, adb CLI            : {mb / (cli_push / 1000):7.1f} MB/s median")
        print(f"push {args.mb} MiB, adbutils sync.push : {mb / (lib_push / 1000):7.1f} MB/s median")
        print(f"pull {args.mb} MiB, adb CLI            : {mb / (cli_pull / 1000):7.1f} MB/s median")


if __name__ == "__main__":
    main()
