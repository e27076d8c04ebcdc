"""Scoring: rules over a trace → verdicts per rule and per article (DESIGN §4.5).

Never imports frida or adbutils: a trace can be re-scored on any machine.
User-facing description of every rule: docs/scoring.md.
"""

from harness.model.verdict import ScoreReport
from harness.scoring.engine import EVIDENCE_LIMIT, score
from harness.scoring.rules import (
    PERMISSION_CATEGORIES,
    RULES,
    RULES_BY_ID,
    Context,
    Rule,
    requested_categories,
)
from harness.scoring.timeline import INSTALL_ACTION_WINDOW_MS, Timeline, build_timeline

__all__ = [
    "EVIDENCE_LIMIT",
    "INSTALL_ACTION_WINDOW_MS",
    "PERMISSION_CATEGORIES",
    "RULES",
    "RULES_BY_ID",
    "Context",
    "Rule",
    "ScoreReport",
    "Timeline",
    "build_timeline",
    "requested_categories",
    "score",
]
