"""Core data types (pydantic v2). This package imports nothing else of the project."""

from harness.model.enums import Category, MarkerKind, Phase, Verdict
from harness.model.frames import framework_only
from harness.model.trace import (
    FORMAT_VERSION,
    AppInfo,
    CallEvent,
    ConsentPatterns,
    Marker,
    TraceEnd,
    TraceHeader,
    TraceIssue,
    TraceRecord,
)
from harness.model.verdict import (
    ArticleVerdict,
    ConsentTimeline,
    Evidence,
    RuleResult,
    RunSummary,
    ScenarioResult,
    ScoreReport,
)

__all__ = [
    "FORMAT_VERSION",
    "AppInfo",
    "ArticleVerdict",
    "CallEvent",
    "Category",
    "ConsentPatterns",
    "ConsentTimeline",
    "Evidence",
    "Marker",
    "MarkerKind",
    "Phase",
    "RuleResult",
    "RunSummary",
    "ScenarioResult",
    "ScoreReport",
    "TraceEnd",
    "TraceHeader",
    "TraceIssue",
    "TraceRecord",
    "Verdict",
    "framework_only",
]
