"""Stream a trace once or twice and keep only what the HTML report draws.

A trace may hold 100k calls; the report must stay small. ``digest_trace`` keeps counts:
calls per (category, time bucket) for the timeline, per (SDK, category, phase) for the
SDK breakdown, the timeline's key markers, the trace's issues (capped) and the full
stacks of the few calls a verdict cites as evidence. Memory is bounded by the number of
buckets, SDKs and evidence calls, never by the length of the trace.

Pass 1 reads markers and the time range; pass 2 places each call (its phase needs the
consent moment, which may be recorded after the calls it judges). Phases and the consent
moment come from ``harness.scoring.build_timeline``, so the picture and the verdicts can
never disagree about which call was before consent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.catalog import attribute
from harness.errors import HarnessError
from harness.model import (
    CallEvent,
    Category,
    Marker,
    MarkerKind,
    Phase,
    TraceEnd,
    TraceHeader,
    TraceIssue,
)
from harness.reports.coverage import HookCoverage
from harness.scoring import Timeline, build_timeline
from harness.scoring.attribution import hooked_classes
from harness.scoring.consent import with_consent_moments
from harness.tracefile import open_trace

#: Columns of the timeline strip.
BUCKETS = 120
#: Markers drawn on the timeline, and how many of each kind at most.
TIMELINE_MARKERS = (
    MarkerKind.LAUNCHED,
    MarkerKind.CONSENT_SHOWN,
    MarkerKind.CONSENT_GRANTED,
    MarkerKind.CONSENT_REFUSED,
    MarkerKind.CONSENT_WITHDRAWN,
    MarkerKind.PERMISSION_PROMPT,
    MarkerKind.APP_EXIT,
)
MAX_MARKERS_PER_KIND = 20
#: The agent's observations the consent moments are derived from (harness.scoring.consent).
_OBSERVATIONS = frozenset({MarkerKind.DIALOG_SHOWN, MarkerKind.VIEW_CLICKED})
#: Markers the consent timeline is built from (kept in memory for pass 2).
_DECISION_MARKERS = frozenset(
    {
        MarkerKind.CONSENT_SHOWN,
        MarkerKind.CONSENT_GRANTED,
        MarkerKind.CONSENT_REFUSED,
        MarkerKind.CONSENT_WITHDRAWN,
    }
)
MAX_ISSUES = 50
MAX_SDKS = 40
MAX_STACK_FRAMES = 80
_ATTR_CACHE = 4096


@dataclass(frozen=True)
class TimelineMarker:
    kind: MarkerKind
    ts: float
    source: str


@dataclass
class SdkRow:
    sdk: str
    kind: str | None = None
    total: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_phase: Counter[str] = field(default_factory=Counter)


@dataclass
class TraceDigest:
    """What the report needs from one trace."""

    header: TraceHeader | None = None
    error: str | None = None
    calls: int = 0
    t0: float | None = None
    t1: float | None = None
    #: The consent moment (internals.md); the timeline's zero.
    #: The scorer's reading of the consent decisions: one definition of the consent
    #: moment and of phases for verdicts and pictures alike.
    timeline: Timeline = field(default_factory=Timeline)
    anchor_ts: float | None = None
    anchor_label: str = ""
    markers: list[TimelineMarker] = field(default_factory=list)
    bucket_ms: float = 1.0
    buckets: dict[Category, list[int]] = field(default_factory=dict)
    by_category: Counter[str] = field(default_factory=Counter)
    by_phase: Counter[str] = field(default_factory=Counter)
    sdks: list[SdkRow] = field(default_factory=list)
    #: SDK rows folded into "(other SDKs)" beyond MAX_SDKS.
    sdks_folded: int = 0
    stacks: dict[int, list[str]] = field(default_factory=dict)
    #: The process of each evidence call that names one (seq -> ``pkg:push``…).
    processes: dict[int, str] = field(default_factory=dict)
    issues: list[TraceIssue] = field(default_factory=list)
    issues_total: int = 0
    #: What the consent dialog said (first ``consent_shown`` with texts): app-supplied.
    dialog_texts: list[str] = field(default_factory=list)
    end: TraceEnd | None = None
    #: Hooks installed / failed / late / absent / skipped (``hooks_ready`` markers).
    coverage: HookCoverage = field(default_factory=HookCoverage)
    #: The first ``launched`` marker: "time from launch" in report.xlsx.
    launched_ts: float | None = None

    def rel_ms(self, ts: float) -> float | None:
        return None if self.anchor_ts is None else ts - self.anchor_ts

    @property
    def granted_ts(self) -> float | None:
        return self.timeline.consent.granted_ts

    def phase(self, ts: float, seq: int | None = None) -> Phase:
        """The phase of a call (harness.scoring.timeline: decisions, ties)."""
        return self.timeline.phase(ts, seq)

    def phase_segments(self) -> list[tuple[float, float, Phase]]:
        """(start, end, phase) spans covering [t0, t1], cut exactly at the decisions."""
        if self.t0 is None or self.t1 is None:
            return []
        t0, t1 = self.t0, self.t1
        points = sorted({t0, t1, *(t for t in self.timeline.times if t0 < t < t1)})
        spans: list[tuple[float, float, Phase]] = []
        for a, b in zip(points, points[1:], strict=False):
            ph = self.phase(a)
            if spans and spans[-1][2] == ph:
                spans[-1] = (spans[-1][0], b, ph)
            else:
                spans.append((a, b, ph))
        return spans


# ---------------------------------------------------------------------------- reading


def iter_records(path: Path) -> Iterator[Any]:
    """The header, then every record of the trace at ``path`` (streamed)."""
    trace = open_trace(path)
    yield trace.header
    yield from trace.records()


# ---------------------------------------------------------------------- attribution


def catalog_attribute() -> Callable[..., Any]:
    """The SDK attribution function (a seam: tests swap it to pin golden files)."""
    return attribute


class _Attributor:
    """SDK attribution with a bounded per-stack cache (stacks repeat a lot) — the scorer's
    own rule (:class:`harness.scoring.attribution.Attributor`: the hooked API's own class
    is not the caller), so the report's tables and the verdicts' evidence never disagree.

    Calls from code no SDK-table row names are shown by their package
    (``unknown`` + prefix), so a developer still sees *which* code collected.
    """

    def __init__(self, app_package: str) -> None:
        self.app_package = app_package
        self._fn = catalog_attribute()
        self._classes = hooked_classes()
        self._cache: dict[tuple[str | None, tuple[str, ...]], tuple[str, str | None]] = {}
        self._frames: dict[tuple[str | None, tuple[str, ...]], str | None] = {}

    def frame(self, stack: list[str], api: str | None = None) -> str | None:
        """The deciding frame of ``stack`` (after :meth:`__call__` on the same call)."""
        return self._frames.get((self._classes.get(api or ""), tuple(stack)))

    def __call__(self, stack: list[str], api: str | None = None) -> tuple[str, str | None]:
        hooked = self._classes.get(api or "")
        key = (hooked, tuple(stack))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        found = self._fn(stack, self.app_package, hooked_class=hooked)
        sdk = str(getattr(found, "sdk", "unknown"))
        kind = getattr(found, "kind", None)
        prefix = getattr(found, "prefix", None)
        if sdk == "unknown" and prefix:
            sdk = str(prefix)
        result = (sdk, None if kind is None else str(kind))
        if len(self._cache) >= _ATTR_CACHE:
            self._cache.clear()
            self._frames.clear()
        self._cache[key] = result
        frame = getattr(found, "frame", None)
        self._frames[key] = None if frame is None else str(frame)
        return result


# ---------------------------------------------------------------------------- digest


def digest_trace(
    path: Path,
    *,
    evidence_seqs: Iterable[int] = (),
    app_package: str | None = None,
    records: Callable[[Path], Iterable[Any]] = iter_records,
) -> TraceDigest:
    """Digest the trace at ``path``; a broken trace gives a digest with ``error`` set."""
    d = TraceDigest()
    wanted = set(evidence_seqs)
    try:
        _pass1(d, records(path))
        _pass2(d, records(path), wanted, app_package)
    except HarnessError as exc:
        d.error = str(exc)
    except OSError as exc:
        d.error = f"{path}: cannot read trace: {exc.strerror or exc}"
    return d


def _pass1(d: TraceDigest, records: Iterable[Any]) -> None:
    decisions: list[Marker] = []
    per_kind: Counter[MarkerKind] = Counter()
    for rec in records:
        if isinstance(rec, TraceHeader):
            d.header = rec
        elif isinstance(rec, CallEvent):
            d.calls += 1
            d.t0 = rec.ts if d.t0 is None else min(d.t0, rec.ts)
            d.t1 = rec.ts if d.t1 is None else max(d.t1, rec.ts)
        elif isinstance(rec, Marker):
            if rec.marker is MarkerKind.HOOKS_READY:
                d.coverage.add(rec.detail)
            elif rec.marker is MarkerKind.LAUNCHED and d.launched_ts is None:
                d.launched_ts = rec.ts
            if rec.marker in _DECISION_MARKERS or rec.marker in _OBSERVATIONS:
                decisions.append(rec)
            if rec.marker is MarkerKind.CONSENT_SHOWN and not d.dialog_texts:
                texts = rec.detail.get("texts")
                if isinstance(texts, list):
                    d.dialog_texts = [str(t)[:300] for t in texts[:12]]
            if rec.marker in TIMELINE_MARKERS and per_kind[rec.marker] < MAX_MARKERS_PER_KIND:
                per_kind[rec.marker] += 1
                d.markers.append(TimelineMarker(rec.marker, rec.ts, rec.source))
        elif isinstance(rec, TraceIssue):
            d.issues_total += 1
            if len(d.issues) < MAX_ISSUES:
                d.issues.append(rec)
        elif isinstance(rec, TraceEnd):
            d.end = rec
    # The agent's consent moments, derived from its observations (one function for the
    # scorer and this digest); the derived ones join the strip's markers.
    seen = {id(m) for m in decisions}
    derived = with_consent_moments(decisions, d.header.consent_patterns if d.header else None)
    for m in derived:
        if id(m) not in seen and m.marker in TIMELINE_MARKERS \
                and per_kind[m.marker] < MAX_MARKERS_PER_KIND:
            per_kind[m.marker] += 1
            d.markers.append(TimelineMarker(m.marker, m.ts, m.source))
    d.timeline = build_timeline(m for m in derived if m.marker in _DECISION_MARKERS)
    consent = d.timeline.consent
    if consent.reference_ts is not None:
        d.anchor_ts = consent.reference_ts
        d.anchor_label = (
            "consent granted" if consent.reference == "consent_granted" else "consent refused"
        )
    elif consent.shown_ts is not None:
        d.anchor_ts, d.anchor_label = consent.shown_ts, "consent dialog shown"
    # The strip spans the calls and the moments that frame them.
    moments = [m.ts for m in d.markers]
    moments += [
        t for t in (consent.granted_ts, consent.refused_ts, consent.shown_ts) if t is not None
    ]
    if d.t0 is None and moments:
        d.t0 = d.t1 = moments[0]
    if d.t0 is not None and d.t1 is not None:
        d.t0 = min([d.t0, *moments])
        d.t1 = max([d.t1, *moments])
        d.bucket_ms = max((d.t1 - d.t0) / BUCKETS, 1.0)
    if d.anchor_ts is None and d.t0 is not None:
        d.anchor_ts, d.anchor_label = d.t0, "start of trace (no consent moment)"


def _pass2(
    d: TraceDigest, records: Iterable[Any], wanted: set[int], app_package: str | None
) -> None:
    if d.t0 is None or d.calls == 0:
        return
    package = app_package or (d.header.app.package if d.header else "")
    attribute = _Attributor(package)
    sdk_rows: dict[str, SdkRow] = {}
    for rec in records:
        if not isinstance(rec, CallEvent):
            continue
        idx = min(int((rec.ts - d.t0) / d.bucket_ms), BUCKETS - 1)
        lane = d.buckets.setdefault(rec.category, [0] * BUCKETS)
        lane[max(idx, 0)] += 1
        phase = d.phase(rec.ts, rec.seq)
        d.by_category[rec.category.value] += 1
        d.by_phase[phase.value] += 1
        sdk, kind = attribute(rec.stack, rec.api)
        row = sdk_rows.get(sdk)
        if row is None:
            row = sdk_rows[sdk] = SdkRow(sdk=sdk, kind=kind)
        row.total += 1
        row.by_category[rec.category.value] += 1
        row.by_phase[phase.value] += 1
        if rec.seq in wanted and rec.seq not in d.stacks:
            d.stacks[rec.seq] = list(rec.stack[:MAX_STACK_FRAMES])
            if rec.process is not None:
                d.processes[rec.seq] = rec.process
    rows = sorted(sdk_rows.values(), key=lambda r: (-r.total, r.sdk))
    if len(rows) > MAX_SDKS:
        other = SdkRow(sdk="(other SDKs)")
        for row in rows[MAX_SDKS - 1 :]:
            other.total += row.total
            other.by_category.update(row.by_category)
            other.by_phase.update(row.by_phase)
        d.sdks_folded = len(rows) - (MAX_SDKS - 1)
        rows = [*rows[: MAX_SDKS - 1], other]
    d.sdks = rows
