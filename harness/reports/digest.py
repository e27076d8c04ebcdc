"""Keep only what the HTML report draws of a trace — from the scorer's pass, or two of its own.

A trace may hold 100k calls; the report must stay small. ``digest_trace`` keeps counts:
calls per (category, time bucket) for the timeline, per (SDK, category, phase) for the
SDK breakdown, the timeline's key markers, the trace's issues (capped) and the full
stacks of the few calls a verdict cites as evidence. Memory is bounded by the number of
buckets, SDKs and evidence calls, never by the length of the trace.

Two ways to get one:

* :func:`score_and_digest` (the runner, at the end of a scenario): a :class:`DigestSink`
  rides on the scorer's single pass (:mod:`harness.scoring.sinks`), given what the trace
  writer already knows (the markers it wrote, the calls' time range). The digest is kept
  for the report writer (:func:`take_digest`), so the trace is not read again for it.
* :func:`digest_trace` (a trace from elsewhere: ``score``, a merged run, a re-render):
  pass 1 reads markers and the time range; pass 2 places each call (its phase needs the
  consent moment, which may be recorded after the calls it judges).

Either way phases and the consent moment come from ``harness.scoring.build_timeline``, so
the picture and the verdicts can never disagree about which call was before consent.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from harness.model.verdict import ScoreReport
from harness.reports.blame import SdkBlame
from harness.reports.coverage import HookCoverage
from harness.scoring import Timeline, build_timeline, score
from harness.scoring.consent import with_consent_moments
from harness.scoring.selection import RuleSpec
from harness.tracefile import CallSpan, TraceFile, open_trace

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
#: Distinct (stack, api, category, phase) keys counted before they are added up.
_PENDING = 4096
#: Digests kept for the report writer (scenarios of one run, at most).
MAX_KEPT = 1024


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


# ------------------------------------------------------------- the parts of a digest


def _note_marker(d: TraceDigest, rec: Marker, per_kind: Counter[MarkerKind]) -> None:
    """What the digest keeps of one marker of the trace (not a derived one)."""
    if rec.marker is MarkerKind.HOOKS_READY:
        d.coverage.add(rec.detail)
    elif rec.marker is MarkerKind.LAUNCHED and d.launched_ts is None:
        d.launched_ts = rec.ts
    if rec.marker is MarkerKind.CONSENT_SHOWN and not d.dialog_texts:
        texts = rec.detail.get("texts")
        if isinstance(texts, list):
            d.dialog_texts = [str(t)[:300] for t in texts[:12]]
    _strip_marker(d, rec, per_kind)


def _strip_marker(d: TraceDigest, rec: Marker, per_kind: Counter[MarkerKind]) -> None:
    if rec.marker in TIMELINE_MARKERS and per_kind[rec.marker] < MAX_MARKERS_PER_KIND:
        per_kind[rec.marker] += 1
        d.markers.append(TimelineMarker(rec.marker, rec.ts, rec.source))


def _note_other(d: TraceDigest, rec: TraceIssue | TraceEnd) -> None:
    if isinstance(rec, TraceIssue):
        d.issues_total += 1
        if len(d.issues) < MAX_ISSUES:
            d.issues.append(rec)
    else:
        d.end = rec


def _frame(d: TraceDigest) -> None:
    """The anchor (the timeline's zero) and the strip's span, once the markers, the
    consent timeline and the calls' time range are known."""
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


def _keep_cited(d: TraceDigest, call: CallEvent) -> None:
    """What the report shows of a call a verdict cites: its whole stack, its process."""
    d.stacks[call.seq] = list(call.stack[:MAX_STACK_FRAMES])
    if call.process is not None:
        d.processes[call.seq] = call.process


class _Tally:
    """Places calls: timeline buckets, per-category/phase counts, SDK rows.

    Per call only the bucket is counted and a (stack, api, category, phase) key; the counts
    and the SDK rows are added up per key, :data:`_PENDING` keys at a time (a trace's stacks
    are interned, so keys repeat) — in first-seen order, so every count's key order is
    what per-call counting gave."""

    def __init__(self, d: TraceDigest, package: str, wanted: set[int] | None) -> None:
        self.d = d
        self.blame = SdkBlame(package)
        self.rows: dict[str, SdkRow] = {}
        self.wanted = wanted
        # (id(stack), api, category, phase) -> [count, stack] (the stack held: its id stays)
        self._pending: dict[tuple[int, str, Category, Phase], list[Any]] = {}

    def add(self, rec: CallEvent, phase: Phase) -> None:
        d = self.d
        assert d.t0 is not None
        category = rec.category
        idx = min(int((rec.ts - d.t0) / d.bucket_ms), BUCKETS - 1)
        lane = d.buckets.get(category)
        if lane is None:
            lane = d.buckets[category] = [0] * BUCKETS
        lane[max(idx, 0)] += 1
        stack = rec.stack
        key = (id(stack), rec.api, category, phase)
        slot = self._pending.get(key)
        if slot is None:
            if len(self._pending) >= _PENDING:
                self._flush()
            self._pending[key] = [1, stack]
        else:
            slot[0] += 1
        wanted = self.wanted
        if wanted is not None and rec.seq in wanted and rec.seq not in d.stacks:
            _keep_cited(d, rec)

    def _flush(self) -> None:
        d = self.d
        for (_, api, category, phase), (n, stack) in self._pending.items():
            d.by_category[category.value] += n
            d.by_phase[phase.value] += n
            sdk, kind = self.blame(stack, api)
            row = self.rows.get(sdk)
            if row is None:
                row = self.rows[sdk] = SdkRow(sdk=sdk, kind=kind)
            row.total += n
            row.by_category[category.value] += n
            row.by_phase[phase.value] += n
        self._pending.clear()

    def close(self) -> None:
        self._flush()
        rows = sorted(self.rows.values(), key=lambda r: (-r.total, r.sdk))
        if len(rows) > MAX_SDKS:
            other = SdkRow(sdk="(other SDKs)")
            for row in rows[MAX_SDKS - 1 :]:
                other.total += row.total
                other.by_category.update(row.by_category)
                other.by_phase.update(row.by_phase)
            self.d.sdks_folded = len(rows) - (MAX_SDKS - 1)
            rows = [*rows[: MAX_SDKS - 1], other]
        self.d.sdks = rows


# ------------------------------------------------------------ from the scorer's pass


class DigestSink:
    """A :class:`~harness.scoring.sinks.TraceSink` that builds :attr:`digest` from the
    scorer's pass. ``span``: the calls' count and time range (the trace writer's
    :attr:`~harness.tracefile.TraceWriter.span`), which the timeline strip needs before
    the first call is placed."""

    def __init__(self, span: CallSpan, app_package: str | None = None) -> None:
        self.digest = TraceDigest()
        self._span = span
        self._package = app_package
        self._tally: _Tally | None = None

    def begin(self, header: TraceHeader, timeline: Timeline) -> None:
        d = self.digest
        d.header, d.timeline = header, timeline
        d.calls = self._span.calls
        if self._span.calls:
            d.t0, d.t1 = self._span.first_ts, self._span.last_ts
        per_kind: Counter[MarkerKind] = Counter()
        derived = {id(m) for m in timeline.derived}
        for m in timeline.markers:
            if id(m) not in derived:
                _note_marker(d, m, per_kind)
        for m in timeline.derived:
            _strip_marker(d, m, per_kind)
        _frame(d)
        self._tally = _Tally(d, self._package or header.app.package, None)

    def call(self, call: CallEvent, phase: Phase) -> None:
        assert self._tally is not None
        self._tally.add(call, phase)

    def record(self, record: Marker | TraceIssue | TraceEnd) -> None:
        if not isinstance(record, Marker):
            _note_other(self.digest, record)

    def finish(self, report: ScoreReport, cited: Mapping[int, CallEvent]) -> None:
        assert self._tally is not None
        for call in cited.values():
            _keep_cited(self.digest, call)
        self._tally.close()


#: Digests made by :func:`score_and_digest`, until the report writer takes them.
_kept: OrderedDict[tuple[str, int, int, str], TraceDigest] = OrderedDict()
_kept_lock = threading.Lock()  # scenarios of several devices end on their own threads


def _key(path: Path, package: str) -> tuple[str, int, int, str] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, package)


def score_and_digest(
    trace: TraceFile,
    *,
    rules: RuleSpec = None,
    markers: Iterable[Marker] | None = None,
    span: CallSpan | None = None,
    app_package: str,
) -> ScoreReport:
    """Score ``trace`` in one pass and keep its digest for :func:`take_digest` (when the
    calls' ``span`` is known; otherwise the report writer digests the trace itself).
    ``markers``/``span``: what the trace's writer knows (:attr:`TraceWriter.markers`,
    :attr:`TraceWriter.span`), so the trace is read once."""
    if span is None:
        return score(trace, rules=rules, markers=markers)
    sink = DigestSink(span, app_package)
    report = score(trace, rules=rules, markers=markers, sinks=(sink,))
    key = _key(trace.path, app_package)
    if key is not None:
        with _kept_lock:
            _kept[key] = sink.digest
            while len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    return report


def take_digest(path: Path, app_package: str) -> TraceDigest | None:
    """The digest :func:`score_and_digest` made of the trace at ``path`` — if the file is
    still the one it read (same size and time) — handed over once (the caller may
    change it)."""
    key = _key(path, app_package)
    if key is None:
        return None
    with _kept_lock:
        return _kept.pop(key, None)


# ------------------------------------------------------------------- on its own


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
            if rec.marker in _DECISION_MARKERS or rec.marker in _OBSERVATIONS:
                decisions.append(rec)
            _note_marker(d, rec, per_kind)
        elif isinstance(rec, (TraceIssue, TraceEnd)):
            _note_other(d, rec)
    # The agent's consent moments, derived from its observations (one function for the
    # scorer and this digest); the derived ones join the strip's markers.
    seen = {id(m) for m in decisions}
    derived = with_consent_moments(decisions, d.header.consent_patterns if d.header else None)
    for m in derived:
        if id(m) not in seen:
            _strip_marker(d, m, per_kind)
    d.timeline = build_timeline(m for m in derived if m.marker in _DECISION_MARKERS)
    _frame(d)


def _pass2(
    d: TraceDigest, records: Iterable[Any], wanted: set[int], app_package: str | None
) -> None:
    if d.t0 is None or d.calls == 0:
        return
    package = app_package or (d.header.app.package if d.header else "")
    tally = _Tally(d, package, wanted)
    for rec in records:
        if isinstance(rec, CallEvent):
            tally.add(rec, d.phase(rec.ts, rec.seq))
    tally.close()
