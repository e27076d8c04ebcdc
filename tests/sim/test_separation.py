"""The simulator is a separate building (DESIGN §3): no harness imports (import-linter checks
those, `tox -e lint`), and no harness data — not the catalog, not the rule ids — read or
hard-coded anywhere in its code."""

from __future__ import annotations

import re
from pathlib import Path

SIM = Path(__file__).resolve().parents[2] / "harness" / "sim"
#: What would mean the sim reads or copies the harness's own data.
FORBIDDEN = {
    "the catalog file": re.compile(r"catalog\.json"),
    "a path out of harness/sim": re.compile(r"parent\.parent|parents\[\d\]"),
    "a scoring rule id": re.compile(r"['\"]7\.[24]/"),
    "a harness module": re.compile(r"^\s*(from|import)\s+harness\.(?!sim\b)", re.M),
}


def test_sim_code_holds_no_harness_data() -> None:
    problems = []
    for path in sorted([*SIM.rglob("*.py"), *SIM.rglob("*.java")]):
        text = path.read_text(encoding="utf-8")
        for what, pattern in FORBIDDEN.items():
            if pattern.search(text):
                problems.append(f"{path.relative_to(SIM)}: {what}")
    assert not problems, problems
