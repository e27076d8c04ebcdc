"""Suite wall time on one simulated device vs two in parallel, and time per scenario.

    python benchmarks/bench_suite.py               # the `agree` scenarios of the bundled suite
    python benchmarks/bench_suite.py --tag standard --runs 3

Each run is a fresh ``consent-harness run`` (simulated devices started, scenarios run,
reports written); figures are medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(devices: int, tag: str, out: Path) -> tuple[float, list[float], int]:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "harness.cli.main", "run", str(ROOT / "scenarios"), "--tag", tag,
         "--sim", str(devices), "--report", str(out), "-q"],
        capture_output=True, text=True, check=False,
    )
    wall = time.monotonic() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    per = [s["duration_s"] for s in summary["scenarios"] if s.get("duration_s")]
    return wall, per, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tag", default="agree")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    results: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for devices in (1, 2):
            walls, pers = [], []
            for i in range(args.runs):
                wall, per, rc = one_run(devices, args.tag, Path(tmp) / f"d{devices}-{i}")
                walls.append(wall)
                pers.extend(per)
                print(f"  {devices} device(s), run {i + 1}: {wall:.1f} s wall, "
                      f"{len(per)} scenarios, exit {rc}", flush=True)
            results[devices] = (statistics.median(walls), statistics.median(pers))
    one, two = results[1], results[2]
    print(f"suite --tag {args.tag}: 1 device {one[0]:.1f} s, 2 devices {two[0]:.1f} s "
          f"(speed-up ×{one[0] / two[0]:.2f}); median per scenario {one[1]:.1f} s on 1 device, "
          f"{two[1]:.1f} s with 2 devices sharing the 2 cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
