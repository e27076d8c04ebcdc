"""Rules from the national enforcement checklist behind Articles 7(2) and 7(4).

《App违法违规收集使用个人信息行为认定方法》(2019) and 工信部信管〔2020〕164号 spell out
how reviewers apply the two articles; each rule here implements one of their items
(docs/scoring.md "Checklist rules" cites them). Like the seven rules of
:mod:`harness.scoring.rules`, each is a pure function of the trace judged by the same
engine; those that read only markers work out their verdict from
``ctx.timeline.markers`` once per scoring run (``ctx.state``) and select the markers
that show the violation as their evidence.

They are **not on by default** (``--rules`` / ``score(trace, rules=…)`` selects them):
some need markers the runner does not record yet, and they judge the bundled sim apps
differently from the suite's expectations (CHANGELOG.md).
"""

from __future__ import annotations

from harness.scoring.checklist.background import BackgroundCollection
from harness.scoring.checklist.frequency import DEFAULT_LIMITS, ExcessiveFrequency, Limits
from harness.scoring.checklist.implicit import ImplicitConsent
from harness.scoring.checklist.policy import PolicyUnreadable
from harness.scoring.checklist.reask import REASK_WINDOW_MS, ReAskAfterRefusal
from harness.scoring.checklist.refusal import RefusalDeniesService
from harness.scoring.checklist.transmission import PreConsentTransmission
from harness.scoring.rules import Rule

#: The checklist rules, in report order (after the seven).
CHECKLIST_RULES: tuple[Rule, ...] = (
    ImplicitConsent(),
    PolicyUnreadable(),
    ExcessiveFrequency(),
    BackgroundCollection(),
    RefusalDeniesService(),
    ReAskAfterRefusal(),
    PreConsentTransmission(),
)

__all__ = [
    "CHECKLIST_RULES",
    "DEFAULT_LIMITS",
    "REASK_WINDOW_MS",
    "BackgroundCollection",
    "ExcessiveFrequency",
    "ImplicitConsent",
    "Limits",
    "PolicyUnreadable",
    "PreConsentTransmission",
    "ReAskAfterRefusal",
    "RefusalDeniesService",
]
