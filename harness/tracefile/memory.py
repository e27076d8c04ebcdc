"""A trace held in memory (built by :mod:`harness.testing`, or collected by a caller)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from harness.model.trace import CallEvent, Marker, TraceEnd, TraceHeader, TraceIssue

BodyRecord = CallEvent | Marker | TraceIssue | TraceEnd


class Trace(Protocol):
    """What the scorer needs of a trace: a file (:class:`TraceFile`) or memory."""

    @property
    def header(self) -> TraceHeader: ...

    def records(self) -> Iterator[BodyRecord]: ...

    def markers(self) -> Iterator[Marker]: ...


@dataclass(frozen=True)
class MemoryTrace:
    """A header and its records (end record included, if any), in arrival order."""

    header: TraceHeader
    body: Sequence[BodyRecord] = field(default_factory=tuple)
    path: str | None = None

    def records(self) -> Iterator[BodyRecord]:
        return iter(self.body)

    def markers(self) -> Iterator[Marker]:
        return (r for r in self.body if isinstance(r, Marker))
