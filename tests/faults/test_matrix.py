"""The fault matrix on the simulated device: real adb, real Frida, real sim app JVMs.

Every fault: no wrong pass, the trace kept with its end record, a documented exit status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.model import Verdict
from tests.faults.matrix import FAULTS, Fault, run_fault


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault: Fault, cluster: Any, device: Any, tmp_path: Path) -> None:
    outcome = run_fault(fault, cluster, device, tmp_path)
    result = outcome.result
    assert not outcome.wrong_pass, (result.verdict, result.unreached, result.rules)
    assert outcome.trace_kept, f"no trace with an end record for {fault.name}"
    assert outcome.exit_code in fault.exits, (outcome.exit_code, result.verdict, result.error)
    if fault.baseline is Verdict.FAIL:
        assert result.verdict in (Verdict.FAIL, Verdict.ERROR)
