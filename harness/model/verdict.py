"""Results of scoring a trace (DESIGN §4.5) and of a run (DESIGN §4.6)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.model.enums import Category, Phase, Verdict
from harness.model.trace import AppInfo


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """One call (or marker) that a rule's verdict rests on."""

    seq: int | None = None
    ts: float
    api: str
    category: Category
    phase: Phase
    #: Milliseconds relative to the consent moment (negative = before); None without one.
    t_rel_ms: float | None = None
    thread: str | None = None
    sdk: str = Field("unknown", description="SDK name, 'app' or 'unknown'")
    sdk_kind: str | None = None
    frame: str | None = Field(None, description="first stack frame outside the framework")
    args: list[str] = Field(default_factory=list)
    #: Exception class the original call threw (e.g. SecurityException): the app *tried*.
    threw: str | None = None


class RuleResult(_Model):
    rule: str
    article: str
    statement: str
    verdict: Verdict
    reason: str
    evidence: list[Evidence] = Field(default_factory=list)
    #: All matching calls; ``evidence`` keeps only the first ones.
    evidence_count: int = 0
    sdks: dict[str, int] = Field(default_factory=dict)


class ArticleVerdict(_Model):
    article: str
    verdict: Verdict
    rules: list[str]


class ConsentTimeline(_Model):
    """The consent decisions found in a trace (docs/internals.md, "The consent moment")."""

    shown_ts: float | None = None
    granted_ts: float | None = None
    granted_source: Literal["agent", "host"] | None = None
    refused_ts: float | None = None
    refused_source: Literal["agent", "host"] | None = None
    withdrawn_ts: list[float] = Field(default_factory=list)
    #: What ``Evidence.t_rel_ms`` is measured from: the grant, else the refusal, else None.
    reference: Literal["consent_granted", "consent_refused"] | None = None
    reference_ts: float | None = None


class ScoreReport(_Model):
    """Everything ``harness.scoring.score`` concludes about one trace."""

    trace: str | None = Field(None, description="path of the scored trace, if read from a file")
    package: str
    scenario: str | None = None
    verdict: Verdict
    articles: list[ArticleVerdict]
    rules: list[RuleResult]
    consent: ConsentTimeline
    #: Number of call records in the trace, and how they split over the phases.
    calls: int = 0
    phases: dict[Phase, int] = Field(default_factory=dict)
    #: Of ``calls``, those the framework made by itself (``CallEvent.framework``): counted
    #: and kept in the trace, never evidence against the app. Written only when non-zero.
    framework_calls: int = Field(0, exclude_if=lambda v: not v)
    #: Catalog ids whose hooks failed to install (from ``hooks_ready`` markers).
    hooks_failed: list[str] = Field(default_factory=list)
    #: Why the recording cannot be trusted to be complete (device lost, sequence gap…).
    problems: list[str] = Field(default_factory=list)
    #: Scenario steps that did not happen, and unasked app deaths that cut the scenario
    #: short (step, line, why): while there is one the overall verdict is never ``pass``.
    unreached: list[str] = Field(default_factory=list)
    redacted: bool = True
    salt_id: str | None = None


class ScenarioResult(_Model):
    scenario: str
    file: str | None = None
    line: int | None = None
    package: str
    device: str | None = None
    verdict: Verdict
    articles: list[ArticleVerdict]
    rules: list[RuleResult]
    expect: dict[str, Verdict] = Field(default_factory=dict)
    mismatches: list[str] = Field(default_factory=list)
    error: str | None = None
    #: Steps that did not happen (see ``ScoreReport.unreached``).
    unreached: list[str] = Field(default_factory=list)
    trace: str | None = Field(None, description="path of trace.jsonl, relative to the run folder")
    duration_s: float | None = None


class RunSummary(_Model):
    harness_version: str
    started_at: str
    finished_at: str
    scenarios: list[ScenarioResult]
    counts: dict[str, int] = Field(default_factory=dict)
    #: The run was stopped by SIGINT/SIGTERM: ``scenarios`` holds only what ran (the one
    #: that was running is an ``error`` whose trace ends ``interrupted``).
    interrupted: bool = False
    #: The apps under test, as ``check`` identified them (APK hash, signers, SDKs in it).
    apps: list[AppInfo] = Field(default_factory=list)
