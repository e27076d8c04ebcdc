"""What else rides on the scorer's one pass over a trace (DESIGN §3 "one pass").

The scorer reads a trace once; a :class:`TraceSink` sees every record of that pass with
the phase the verdicts gave it, so a report's pictures (``harness.reports.digest``) are
drawn from the same reading as the verdicts — no second pass, no second definition of
"before consent".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from harness.model.enums import Phase
from harness.model.trace import CallEvent, Marker, TraceEnd, TraceHeader, TraceIssue
from harness.model.verdict import ScoreReport

if TYPE_CHECKING:
    from harness.scoring.timeline import Timeline


class TraceSink(Protocol):
    """Told about a trace as the scorer reads it, in this order:
    :meth:`begin` once, then :meth:`call` / :meth:`record` in trace order, then
    :meth:`finish` with the verdicts and the calls they cite."""

    def begin(self, header: TraceHeader, timeline: Timeline) -> None: ...

    def call(self, call: CallEvent, phase: Phase) -> None:
        """Every call record (observed-only and framework calls included)."""

    def record(self, record: Marker | TraceIssue | TraceEnd) -> None:
        """Every other record (markers as written; the derived consent moments are on
        the timeline given to :meth:`begin`)."""

    def finish(self, report: ScoreReport, cited: Mapping[int, CallEvent]) -> None:
        """``cited``: seq → each call the verdicts cite as evidence."""


__all__ = ["TraceSink"]
