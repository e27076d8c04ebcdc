"""Hook recall against the simulator's ground-truth tap: prints the table, asserts nothing.

    /work/venv/bin/python benchmarks/bench_recall.py [--quick] [APP ...]

Every bundled sim app (but the load test) and the test bed's own apps (tests/recall/apps/)
run the three standard scenarios (observe, agree, refuse) through the harness — real runner,
real Frida — and their tap is compared with the trace (tests/recall/measure.py): per app and
category, calls tapped / hooked / missed, recall per category, and the tapped APIs the catalog
does not hook (computed from the tap). ``--quick``: agree only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.recall.measure import KINDS, RunRecall, measure, render  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="agree only")
    parser.add_argument("apps", nargs="*", help="packages (default: all)")
    args = parser.parse_args(argv)

    from harness.catalog import load_catalog
    from harness.device import AdbServer, connect
    from harness.sim import SimCluster
    from harness.sim.appbuild import build_package, load_spec
    from harness.sim.apps import spec_paths

    extra = sorted((ROOT / "tests" / "recall" / "apps").glob("*.yaml"))
    specs = {load_spec(p).package: load_spec(p) for p in [*spec_paths(), *extra]}
    apps = args.apps or [a for a in sorted(specs) if a != "com.example.burst"]
    kinds = ("agree",) if args.quick else KINDS
    catalog = load_catalog()
    runs: list[RunRecall] = []
    with SimCluster(count=1, preinstall=True) as sim, tempfile.TemporaryDirectory() as tmp:
        device = connect(sim.serials[0], AdbServer(host=sim.adb_host, port=sim.adb_port))
        for spec in extra:
            device.install(build_package(spec, Path(tmp) / "apps"))
        for app in apps:
            early = any(r.when in ("on_create", "on_main") for r in specs[app].permission_requests)
            for kind in kinds:
                if kind != "observe" and specs[app].consent.dialog == "none":
                    continue  # no dialog to answer: observe covers the app
                runs.append(measure(device, app, kind, Path(tmp), early_prompt=early,
                                    catalog=catalog))
                print(f"  ran {app} {kind}: {runs[-1].verdict}", flush=True)
    print(render(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
