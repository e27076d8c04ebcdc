"""Run the fault matrix (tests/faults/matrix.py) on a fresh simulated device and print
``fault | outcome | trace kept | wrong pass | exit`` — the table of issue 9's closing note.

    python tools/fault_matrix.py            # every fault
    python tools/fault_matrix.py detach     # only faults whose name contains a word

The SIGTERM row is tests/faults/test_interrupt.py (it needs the CLI as a process).
Exit status: 0 no wrong pass and every trace kept, 1 otherwise.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    from harness.device import AdbServer, connect
    from harness.sim import SimCluster
    from tests.faults.matrix import FAULTS, run_fault, table

    wanted = [f for f in FAULTS if not argv or any(w in f.name for w in argv)]
    outcomes = []
    with SimCluster(count=1, preinstall=True) as cluster, tempfile.TemporaryDirectory() as tmp:
        serial = cluster.serials[0]
        device = connect(serial, AdbServer(host=cluster.adb_host, port=cluster.adb_port))
        for i, fault in enumerate(wanted):
            print(f"[{i + 1}/{len(wanted)}] {fault.name}…", file=sys.stderr, flush=True)
            folder = Path(tmp) / str(i)
            folder.mkdir()
            outcomes.append(run_fault(fault, cluster, device, folder))
    print(table(outcomes))
    return 0 if all(o.trace_kept and not o.wrong_pass for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
