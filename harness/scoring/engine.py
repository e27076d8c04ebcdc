"""``score(trace) -> ScoreReport``: two streaming passes, flat memory.

1. ``trace.markers()`` → the :class:`~harness.scoring.timeline.Timeline` (consent
   moment, refusals, failed hooks, user actions). Cheap: the reader skips other lines;
   skipped altogether when the caller already holds the markers (the runner: its trace
   writer kept what it wrote) — then the trace is read once.
2. ``trace.records()`` → every call gets its phase and goes to the rules that select
   it; issues and the end record tell whether the recording is complete. Sinks
   (:mod:`harness.scoring.sinks`: the report's digest) ride on the same pass.

Per rule only the first :data:`EVIDENCE_LIMIT` evidence items are kept, plus the total
count, per-SDK and per-category counts — memory does not grow with the trace. From a file
or memory, a call is the one :class:`~harness.model.CallEvent` record. Once every rule
wanting a (category, phase) holds its evidence and
none asks a per-call question, such calls are only counted per (api, stack) and
attributed once per key (bounded, flushed as it fills).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from harness.model.enums import Category, Phase, Verdict
from harness.model.trace import COMPLETE_ENDS, CallEvent, Marker, TraceEnd, TraceIssue
from harness.model.verdict import Evidence, ScoreReport
from harness.scoring.attribution import Attributor, hook_category, observed_hooks
from harness.scoring.conclude import Hits, articles_of, conclude
from harness.scoring.rules import CallLike, Context, Rule, Selection
from harness.scoring.selection import RuleSpec, select_rules
from harness.scoring.sinks import TraceSink
from harness.scoring.timeline import build_timeline
from harness.tracefile.memory import Trace

#: Evidence items kept per rule (the rest are counted).
EVIDENCE_LIMIT = 20
#: Issue codes that mean events were lost, whatever their level.
LOSS_CODES = frozenset({"sequence_gap", "seq_gap", "events_lost", "truncated_record"})
#: End reasons after which a pass cannot be trusted (any reason but these two is:
#: ``device_lost``, ``error``, ``interrupted`` and reasons this version does not know).
COMPLETE_END_REASONS = COMPLETE_ENDS
#: Problems recorded in the report, at most (the first ones say enough).
_PROBLEM_LIMIT = 10
#: Distinct (cell, api, stack) keys counted before they are attributed and added up.
_BULK_LIMIT = 4096

Wanting = list[tuple["Hits", Callable[[CallLike], bool] | None]]


class _Cell:
    """The rules wanting calls of one (category, phase), and whether those calls can
    just be counted (:attr:`bulk`: no per-call predicate, every sink's evidence full)."""

    __slots__ = ("category", "wanting", "idle", "bulk")

    def __init__(self, category: Category, wanting: Wanting) -> None:
        self.category = category
        self.wanting = wanting
        self.idle = not wanting
        self.bulk = False
        self.update()

    def update(self) -> None:
        if not self.bulk and not self.idle:
            self.bulk = all(
                predicate is None and len(sink.evidence) >= sink.limit
                for sink, predicate in self.wanting
            )


def _flush(bulk: dict[tuple[int, str, int], list[Any]], attribute: Any) -> None:
    """Attribute each counted (cell, api, stack) once and add the counts to the rules."""
    for (_, api, _), (count, stack, cell) in bulk.items():
        sdk = attribute(stack, api)[0]
        category = cell.category
        for sink, _ in cell.wanting:
            sink.count += count
            sink.sdks[sdk] = sink.sdks.get(sdk, 0) + count
            sink.categories[category] = sink.categories.get(category, 0) + count
    bulk.clear()


def score(
    trace: Trace,
    *,
    rules: RuleSpec = None,
    evidence_limit: int = EVIDENCE_LIMIT,
    markers: Iterable[Marker] | None = None,
    sinks: Sequence[TraceSink] = (),
) -> ScoreReport:
    """Score ``trace`` (a :class:`~harness.tracefile.TraceFile` or in-memory trace)
    with ``rules``: rule objects, ids, globs or packs (:mod:`harness.scoring.selection`);
    None → the default rules.

    ``markers``: the trace's markers in trace order, when the caller has them (they must
    be the trace's own: its writer's copy); None → read from the trace. ``sinks`` see the
    one pass (:class:`~harness.scoring.sinks.TraceSink`)."""
    chosen = select_rules(rules)
    # Catalog entries flagged "observed" (sensitive but not collection: removeUpdates,
    # getProviders, …) are counted, never evidence against the app on their own.
    # They still appear in the trace and the report's timeline.
    observed = observed_hooks()
    header = trace.header
    timeline = build_timeline(
        trace.markers() if markers is None else markers, hook_category, header.consent_patterns
    )
    ctx = Context(header=header, timeline=timeline)
    attributor = Attributor(header.app.package)

    decided: dict[str, tuple[Verdict, str]] = {}
    hits: dict[str, Hits] = {}
    # (category, phase) → the rules that want such calls, with their per-call predicate.
    table: dict[Category, dict[Phase, Wanting]]
    table = {c: {p: [] for p in Phase} for c in Category}
    marker_rules: list[tuple[Rule, Hits]] = []
    #: The phases each (undecided) rule looks at: what it needs the scenario to reach.
    needs: dict[str, set[Phase]] = {}
    for rule in chosen:
        early = rule.decided(ctx)
        if early is not None:
            decided[rule.id] = early
            continue
        sink = hits[rule.id] = Hits(evidence_limit)
        needed = needs[rule.id] = set()
        for category in Category:
            for phase in Phase:
                wanted: Selection = rule.selects(ctx, category, phase)
                if wanted is True:
                    table[category][phase].append((sink, None))
                elif wanted is not False:
                    table[category][phase].append((sink, wanted))
                if wanted is not False:
                    needed.add(phase)
        marker_rules.append((rule, sink))

    phase_of = timeline.phase
    t_rel = timeline.t_rel
    attribute = attributor.attribute
    times, after = timeline.times, timeline.after
    pre_consent = Phase.PRE_CONSENT
    cells = {c: {p: _Cell(c, wanting) for p, wanting in row.items()} for c, row in table.items()}
    # Calls of a "bulk" cell (every rule wanting them has all its evidence, none asks a
    # per-call question) are only counted: (cell, api, stack id) → [count, stack, cell],
    # attributed once per key when flushed. Bounded: flushed past _BULK_LIMIT keys.
    bulk: dict[tuple[int, str, int], list[Any]] = {}
    calls = 0
    framework_calls = 0
    own = f"{header.app.package}."
    phases = dict.fromkeys(Phase, 0)
    problems: list[str] = []
    end: TraceEnd | None = None
    for listener in sinks:
        listener.begin(header, timeline)
    # The calls cited as evidence, for sinks that draw them (their stacks, processes).
    cited: dict[int, CallEvent] | None = {} if sinks else None
    on_call = _fan_out([s.call for s in sinks])
    on_other = _fan_out([s.record for s in sinks])
    for record in trace.records():
        kind = type(record)
        if kind is CallEvent:
            call: CallLike = record  # type: ignore[assignment]
            calls += 1
            ts = call.ts
            if times:
                i = bisect_right(times, ts)
                if i and times[i - 1] == ts:
                    phase = phase_of(ts, call.seq)  # a tie with a decision: by seq
                else:
                    phase = after[i - 1] if i else pre_consent
            else:
                phase = pre_consent
            phases[phase] += 1
            if on_call is not None:
                on_call(call, phase)
            if call.api in observed:
                continue
            # A call the framework made by itself (no app or SDK frame on its whole stack:
            # a text field asking the clipboard) is no evidence against the app.
            if call.framework and not _own_frame(call.stack, own):
                framework_calls += 1
                continue
            cell = cells[call.category][phase]
            if cell.idle:
                continue
            stack = call.stack
            if cell.bulk:
                key = (id(cell), call.api, id(stack))
                slot = bulk.get(key)
                if slot is None:
                    if len(bulk) >= _BULK_LIMIT:
                        _flush(bulk, attribute)
                    bulk[key] = [1, stack, cell]
                else:
                    slot[0] += 1
                continue
            attribution: tuple[str, str | None, str | None] | None = None
            for sink, predicate in cell.wanting:
                if predicate is not None and not predicate(call):
                    continue
                if attribution is None:
                    attribution = attribute(stack, call.api)
                sink.add(
                    _call_evidence(call, phase, t_rel(ts), attribution, cited),
                    attribution[0],
                    call.category,
                )
            cell.update()
            continue
        if on_other is not None:
            on_other(record)
        if isinstance(record, Marker):
            marker = record
            if marker_rules:
                phase = phase_of(marker.ts, marker.seq)
                for rule, sink in marker_rules:
                    if rule.selects_marker(ctx, marker, phase):
                        told = rule.marker_evidence(ctx, marker, phase, t_rel(marker.ts))
                        if told is not None:
                            sink.add(_given(told), told.sdk, told.category)
                        else:
                            sink.add(
                                _marker_evidence(marker, phase, t_rel(marker.ts)),
                                "unknown",
                                Category.PERMISSION_REQUEST,
                            )
                        for row in cells.values():
                            for other in row.values():
                                other.update()
        elif isinstance(record, TraceIssue):
            issue = record
            if issue.level == "error" or issue.code in LOSS_CODES:
                if len(problems) < _PROBLEM_LIMIT:
                    problems.append(f"{issue.code}: {issue.message}")
        elif isinstance(record, TraceEnd):
            end = record
    _flush(bulk, attribute)
    if end is None:
        problems.append("the trace has no end record: the recording stopped unexpectedly")
    elif end.reason not in COMPLETE_END_REASONS:
        problems.append(
            f"the recording ended with {end.reason}" + (f": {end.message}" if end.message else "")
        )

    results = [
        conclude(rule, ctx, decided.get(rule.id), hits.get(rule.id), problems,
                  needs.get(rule.id, set()))
        for rule in chosen
    ]
    articles = articles_of(results)
    unreached = timeline.unreached()
    verdict = Verdict.worst([a.verdict for a in articles])
    if unreached and verdict.severity < Verdict.INCONCLUSIVE.severity:
        # A scenario whose steps did not all happen never passes as a whole.
        verdict = Verdict.INCONCLUSIVE
    report = ScoreReport(
        trace=str(getattr(trace, "path", None) or "") or None,
        package=header.app.package,
        scenario=header.scenario.name if header.scenario else None,
        verdict=verdict,
        articles=articles,
        rules=results,
        consent=timeline.consent,
        calls=calls,
        framework_calls=framework_calls,
        phases=phases,
        hooks_failed=[hook.id for hook in timeline.failed_hooks],
        problems=problems,
        unreached=unreached,
        redacted=header.redacted,
        salt_id=header.salt_id,
    )
    for listener in sinks:
        listener.finish(report, cited or {})
    return report


def _fan_out(targets: list[Callable[..., None]]) -> Callable[..., None] | None:
    """One callable for the sinks' ``targets`` (None: no sink, nothing to call)."""
    if not targets:
        return None
    if len(targets) == 1:
        return targets[0]

    def each(*args: Any) -> None:
        for target in targets:
            target(*args)

    return each


def _own_frame(stack: list[str], own: str) -> bool:
    """Whether a frame of the app's own package is on ``stack`` (then the app was involved,
    whatever the trace says: a ``com.android.*`` app's frames look like the platform's)."""
    return any(frame.startswith(own) for frame in stack)


def _call_evidence(
    call: CallLike,
    phase: Phase,
    t_rel: float | None,
    attribution: tuple[str, str | None, str | None],
    cited: dict[int, CallEvent] | None = None,
) -> Callable[[], Evidence]:
    # A thunk: building the model costs more than the rest of the call's handling,
    # and only the first few per rule are kept.
    def build() -> Evidence:
        if cited is not None:
            cited.setdefault(call.seq, call)
        return Evidence(
            seq=call.seq,
            ts=call.ts,
            api=call.api,
            category=call.category,
            phase=phase,
            t_rel_ms=t_rel,
            thread=call.thread,
            sdk=attribution[0],
            sdk_kind=attribution[1],
            frame=attribution[2],
            args=list(call.args),
            threw=call.threw,
        )

    return build


def _given(evidence: Evidence) -> Callable[[], Evidence]:
    return lambda: evidence


def _marker_evidence(marker: Marker, phase: Phase, t_rel: float | None) -> Callable[[], Evidence]:
    def build() -> Evidence:
        perms: Any = marker.detail.get("permissions", [])
        return Evidence(
            seq=marker.seq,
            ts=marker.ts,
            api=f"marker:{marker.marker.value}",
            category=Category.PERMISSION_REQUEST,
            phase=phase,
            t_rel_ms=t_rel,
            sdk="unknown",
            frame=None,
            args=[str(p) for p in perms] if isinstance(perms, list) else [str(perms)],
        )

    return build


__all__ = ["EVIDENCE_LIMIT", "Hits", "score"]
