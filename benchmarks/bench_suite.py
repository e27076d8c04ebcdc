"""Suite wall time on one simulated device vs two in parallel, time per scenario, and the
harness's own overhead per scenario.

    python benchmarks/bench_suite.py               # the `agree` scenarios of the bundled suite
    python benchmarks/bench_suite.py --tag standard --runs 3

Each run is a fresh ``consent-harness run`` (simulated devices started, scenarios run,
reports written); figures are medians over the runs. The overhead of a scenario is its
duration minus the time its own steps ask to spend (``observe`` and ``background``
seconds): launching with hooks, reading the screen, tapping, scoring, stopping.
Goal (issue "one call, one record"): ≤ 1.5 s median.
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

from _figures import compare, save  # this folder's own module

ROOT = Path(__file__).resolve().parent.parent


def own_seconds() -> dict[str, float]:
    """Scenario name → the seconds its steps ask to spend (observe, background)."""
    from harness.scenario import BackgroundStep, ObserveStep, load_scenarios

    out: dict[str, float] = {}
    for sc in load_scenarios(ROOT / "scenarios"):
        out[sc.name] = sum(float(step.seconds) for step in sc.steps
                           if isinstance(step, (ObserveStep, BackgroundStep)))
    return out


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
    own = own_seconds()
    OVERHEAD.extend(s["duration_s"] - own.get(s["scenario"], 0.0)
                    for s in summary["scenarios"] if s.get("duration_s"))
    return wall, per, proc.returncode


#: Per-scenario overhead (s) of every one-device run so far.
OVERHEAD: list[float] = []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tag", default="agree")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    results: dict[int, tuple[float, float]] = {}
    overhead_1: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for devices in (1, 2):
            walls, pers = [], []
            for i in range(args.runs):
                OVERHEAD.clear()
                wall, per, rc = one_run(devices, args.tag, Path(tmp) / f"d{devices}-{i}")
                if devices == 1:
                    overhead_1.extend(OVERHEAD)
                walls.append(wall)
                pers.extend(per)
                print(f"  {devices} device(s), run {i + 1}: {wall:.1f} s wall, "
                      f"{len(per)} scenarios, exit {rc}", flush=True)
            results[devices] = (statistics.median(walls), statistics.median(pers))
    one, two = results[1], results[2]
    print(f"suite --tag {args.tag}: 1 device {one[0]:.1f} s, 2 devices {two[0]:.1f} s "
          f"(speed-up ×{one[0] / two[0]:.2f}); median per scenario {one[1]:.1f} s on 1 device, "
          f"{two[1]:.1f} s with 2 devices sharing the 2 cores")
    overhead = statistics.median(overhead_1)
    print(f"harness overhead per scenario (duration − its observe/background seconds), "
          f"1 device: median {compare(f'suite.{args.tag}.overhead_s', overhead, 's')} "
          f"(goal ≤ 1.5 s)")
    compare(f"suite.{args.tag}.wall_1_device_s", one[0], "s")
    compare(f"suite.{args.tag}.wall_2_devices_s", two[0], "s")
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
