"""Run every benchmark in this folder and print its figures (``tox -e bench``).

Benchmarks print medians, each beside the previous figure (``benchmarks/figures.json``);
they assert nothing about time. Pass names to run a subset: ``tox -e bench -- score
sim_adb``; ``--save`` writes this run's medians into figures.json (commit it with the
change that moved them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    if "--save" in argv:
        argv = [a for a in argv if a != "--save"]
        env["CONSENT_HARNESS_BENCH_SAVE"] = "1"
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    status = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        rc = subprocess.call([sys.executable, str(script)], env=env)
        if rc != 0:
            print(f"{script.name} exited {rc}", flush=True)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
