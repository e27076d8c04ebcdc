"""The consent timeline of a trace: the consent moment, refusals, withdrawals, phases.

Definitions (docs/internals.md "The consent moment", docs/scoring.md):

* **Which markers count.** For each of ``consent_granted``, ``consent_refused`` and
  ``consent_withdrawn`` separately: the markers whose ``source`` is ``agent`` (the agent
  saw the click inside the app, on the device clock) if there is at least one, otherwise
  those from the ``host`` (the host's own tap). Never both: the agent and the host
  usually report the *same* click a few milliseconds apart.
* **The consent moment** is the earliest counted ``consent_granted``.
* **Phase of a call** at device time ``ts``: take the latest counted decision at or
  before ``ts``. None → ``pre_consent`` (this includes the time the dialog is up and a
  whole trace in which consent was never given). A grant → ``post_consent``. A refusal
  or a withdrawal → ``post_refusal`` — until a later grant, if any.
* **Ties.** Timestamps are milliseconds, so a call can share its millisecond with the
  decision. It then counts as *after* the decision — unless both carry agent sequence
  numbers and the call's is lower (the agent saw the call first). The benefit of the
  doubt goes to the app only where the clock cannot tell.
* ``t_rel_ms`` of evidence is ``ts`` minus the consent moment; without a grant, minus
  the first refusal; without either, None.
* **Steps that did not happen.** A host ``step`` marker whose ``detail.happened`` (older
  traces: ``found`` / ``ok``) is false is a :class:`MissingStep`. An ``agree`` that did not
  happen leaves ``post_consent`` unreached, a ``refuse``/``withdraw`` ``post_refusal`` —
  unless a decision of that kind is on the timeline anyway (the agent saw the click).
* **App deaths.** A host ``app_exit`` marker says how the process ended
  (``detail.how``): ``exited`` (the app ended itself: killProcess, System.exit — the
  agent announced it) is a fact about the app; ``killed``, ``crashed``, ``ended``
  (no announcement, no crash report) or no ``how`` at all is a death the scenario did
  not ask for: nothing after it was observed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from harness.model.enums import Category, MarkerKind, Phase
from harness.model.trace import ConsentPatterns, Marker
from harness.model.verdict import ConsentTimeline
from harness.scoring.consent import with_consent_moments
from harness.scoring.install import install_action_times

#: A user action this close before a package install (ms) counts as asking for it.
INSTALL_ACTION_WINDOW_MS = 2000.0
#: Words in a tapped view's text / id / step that mean "install this for me".
#: ``app_exit.detail.how`` of an app that ended itself; anything else cuts the scenario.
OWN_EXIT = "exited"
#: Which phase a step that did not happen leaves unreached (other steps: none in
#: particular, but the scenario is still incomplete).
_STEP_PHASES = {
    "agree": Phase.POST_CONSENT,
    "refuse": Phase.POST_REFUSAL,
    "withdraw": Phase.POST_REFUSAL,
}
_DECISIONS = {
    MarkerKind.CONSENT_GRANTED: Phase.POST_CONSENT,
    MarkerKind.CONSENT_REFUSED: Phase.POST_REFUSAL,
    MarkerKind.CONSENT_WITHDRAWN: Phase.POST_REFUSAL,
}


@dataclass(frozen=True)
class FailedHook:
    """A hook the agent could not install; ``category`` is None when unknown."""

    id: str
    category: Category | None
    reason: str | None = None


@dataclass(frozen=True)
class MissingStep:
    """A scenario step that did not happen (host ``step`` marker, ``happened: false``)."""

    step: str
    line: int | None
    reason: str
    ts: float
    #: The phase it leaves unreached, if any (``agree`` → post_consent, …).
    phase: Phase | None = None
    #: The flow file (``run_flow``) the step came from; ``line`` is then that file's.
    file: str | None = None

    def describe(self) -> str:
        if self.line is None:
            where = ""
        elif self.file is not None:
            where = f" ({self.file}:{self.line})"
        else:
            where = f" (line {self.line})"
        return f"step {self.step}{where} did not happen: {self.reason}"


@dataclass(frozen=True)
class AppDeath:
    """The app process ended when the scenario did not ask for it."""

    ts: float
    how: str
    detail: dict[str, Any]

    def describe(self) -> str:
        why = self.detail.get("via") or self.detail.get("reason")
        return (f"the app died ({self.how}{': ' + str(why) if why else ''}) at ts {self.ts:.0f};"
                " the rest of the scenario was not observed")


@dataclass
class Timeline:
    """Everything the rules need from a trace's markers (read in a first, cheap pass)."""

    consent: ConsentTimeline = field(default_factory=ConsentTimeline)
    #: Decision times, sorted, with the agent sequence number and the phase after each.
    times: list[float] = field(default_factory=list)
    seqs: list[int | None] = field(default_factory=list)
    after: list[Phase] = field(default_factory=list)
    dialog_seen: bool = False
    #: Step markers (``detail.step``) the host recorded, e.g. {"refuse": [detail, …]}.
    steps: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failed_hooks: list[FailedHook] = field(default_factory=list)
    #: Sorted times of user actions that ask for an install (bundled-install rule).
    install_actions: list[float] = field(default_factory=list)
    #: Every marker, in trace order: rules that judge from markers alone (re-asking,
    #: background steps, …) read them here. Markers are few next to calls.
    markers: list[Marker] = field(default_factory=list)
    #: The consent moments derived from the agent's observations (they are in
    #: :attr:`markers` too, placed where they happened; the trace does not hold them).
    derived: list[Marker] = field(default_factory=list)
    #: Steps that did not happen, in trace order.
    missing_steps: list[MissingStep] = field(default_factory=list)
    #: App deaths the scenario did not ask for (crash, kill, unexplained end).
    deaths: list[AppDeath] = field(default_factory=list)

    @property
    def unreached_phases(self) -> dict[Phase, MissingStep]:
        """Phases a step should have led to but did not (first such step each)."""
        out: dict[Phase, MissingStep] = {}
        for missing in self.missing_steps:
            if missing.phase is not None:
                out.setdefault(missing.phase, missing)
        return out

    def unreached(self) -> list[str]:
        """Why the scenario did not unfold as written (empty: every step happened)."""
        return [m.describe() for m in self.missing_steps] + [d.describe() for d in self.deaths]

    def phase(self, ts: float, seq: int | None = None) -> Phase:
        """Phase of a record at ``ts`` (module doc: decisions, ties)."""
        times = self.times
        if not times:
            return Phase.PRE_CONSENT
        i = bisect_right(times, ts)
        if seq is not None:
            while i and times[i - 1] == ts:
                decided = self.seqs[i - 1]
                if decided is None or seq >= decided:
                    break
                i -= 1
        return self.after[i - 1] if i else Phase.PRE_CONSENT

    def t_rel(self, ts: float) -> float | None:
        ref = self.consent.reference_ts
        return None if ref is None else ts - ref

    def install_asked(self, ts: float) -> bool:
        """Was there a user action asking for an install in the window before ``ts``?"""
        actions = self.install_actions
        i = bisect_left(actions, ts - INSTALL_ACTION_WINDOW_MS)
        return i < len(actions) and actions[i] <= ts

    @property
    def failed_categories(self) -> set[Category | None]:
        return {hook.category for hook in self.failed_hooks}


def build_timeline(
    markers: Iterable[Marker],
    hook_category: Any = None,
    patterns: ConsentPatterns | None = None,
) -> Timeline:
    """Read the markers once. ``hook_category(id) -> Category | None`` maps failed hooks;
    ``patterns`` (the header's ``consent_patterns``) derive the agent's consent moments
    from its observations (:func:`harness.scoring.consent.with_consent_moments`)."""
    written = list(markers)
    markers = with_consent_moments(written, patterns)
    chosen: dict[MarkerKind, dict[str, list[Marker]]] = {
        kind: {"agent": [], "host": []} for kind in _DECISIONS
    }
    timeline = Timeline()
    if len(markers) != len(written):
        ids = {id(m) for m in written}
        timeline.derived = [m for m in markers if id(m) not in ids]
    shown: float | None = None
    for marker in markers:
        timeline.markers.append(marker)
        kind = marker.marker
        if kind in chosen:
            chosen[kind][marker.source].append(marker)
            timeline.dialog_seen = timeline.dialog_seen or kind is not MarkerKind.CONSENT_WITHDRAWN
        elif kind is MarkerKind.CONSENT_SHOWN:
            timeline.dialog_seen = True
            shown = marker.ts if shown is None else min(shown, marker.ts)
        elif kind is MarkerKind.HOOKS_READY:
            timeline.failed_hooks.extend(_failed_hooks(marker.detail, hook_category))
            timeline.failed_hooks.extend(_late_hooks(marker.detail, hook_category))
        if kind is MarkerKind.STEP:
            name = marker.detail.get("step", marker.detail.get("name"))
            if isinstance(name, str):
                timeline.steps.setdefault(name, []).append(marker.detail)
                missing = _missing_step(name, marker)
                if missing is not None:
                    timeline.missing_steps.append(missing)
        elif kind is MarkerKind.APP_EXIT and marker.source == "host":
            how = marker.detail.get("how")
            if how != OWN_EXIT:
                timeline.deaths.append(AppDeath(
                    marker.ts, how if isinstance(how, str) else "ended", dict(marker.detail)))
    timeline.install_actions = install_action_times(timeline.markers)

    decisions: list[tuple[float, float, Phase]] = []
    firsts: dict[MarkerKind, Marker] = {}
    for kind, by_source in chosen.items():
        picked = by_source["agent"] or by_source["host"]
        for marker in picked:
            seq_key = float("inf") if marker.seq is None else float(marker.seq)
            decisions.append((marker.ts, seq_key, _DECISIONS[kind]))
        if picked:
            firsts[kind] = min(picked, key=lambda m: m.ts)
    decisions.sort(key=lambda d: (d[0], d[1]))
    timeline.times = [d[0] for d in decisions]
    timeline.seqs = [None if d[1] == float("inf") else int(d[1]) for d in decisions]
    timeline.after = [d[2] for d in decisions]

    # A decision that is on the timeline anyway (the agent saw the click) was reached.
    reached = {_DECISIONS[k] for k in firsts}
    timeline.missing_steps = [
        m for m in timeline.missing_steps if m.phase is None or m.phase not in reached
    ]

    grant = firsts.get(MarkerKind.CONSENT_GRANTED)
    refusal = firsts.get(MarkerKind.CONSENT_REFUSED)
    withdrawn = chosen[MarkerKind.CONSENT_WITHDRAWN]
    reference = grant or refusal
    reference_kind: Literal["consent_granted", "consent_refused"] | None = (
        "consent_granted" if grant else "consent_refused" if refusal else None
    )
    timeline.consent = ConsentTimeline(
        shown_ts=shown,
        granted_ts=grant.ts if grant else None,
        granted_source=grant.source if grant else None,
        refused_ts=refusal.ts if refusal else None,
        refused_source=refusal.source if refusal else None,
        withdrawn_ts=sorted(m.ts for m in (withdrawn["agent"] or withdrawn["host"])),
        reference=reference_kind,
        reference_ts=None if reference is None else reference.ts,
    )
    return timeline


def _missing_step(name: str, marker: Marker) -> MissingStep | None:
    detail = marker.detail
    happened = detail.get("happened", detail.get("found", detail.get("ok")))
    if happened is not False:
        return None
    reason = detail.get("reason") or detail.get("message") or "no reason recorded"
    line = detail.get("line")
    return MissingStep(
        step=name,
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
        reason=str(reason)[:500],
        ts=marker.ts,
        phase=_STEP_PHASES.get(name),
        file=detail["file"] if isinstance(detail.get("file"), str) else None,
    )


def _failed_hooks(detail: dict[str, Any], hook_category: Any) -> list[FailedHook]:
    """``detail.failed``: catalog ids, or objects ``{"id", "category"?, "reason"?}``."""
    failed = detail.get("failed") or []
    hooks = []
    for item in failed if isinstance(failed, list) else [failed]:
        if isinstance(item, dict):
            hook_id = str(item.get("id", "?"))
            category = _category(item.get("category"))
            reason = item.get("reason") if isinstance(item.get("reason"), str) else None
        else:
            hook_id, category, reason = str(item), None, None
        if category is None and hook_category is not None:
            category = hook_category(hook_id)
        hooks.append(FailedHook(hook_id, category, reason))
    return hooks


def _late_hooks(detail: dict[str, Any], hook_category: Any) -> list[FailedHook]:
    """``detail.late`` of a ``phase: late`` hooks_ready marker: hooks installed after their
    class had run (docs/internals.md, "Late hooks"). Calls of their category before the
    marker were not seen — a blind spot, treated as a hook that failed."""
    late = detail.get("late") if detail.get("phase") == "late" else None
    if not isinstance(late, list) or not late:
        return []
    hooks = _failed_hooks({"failed": late}, hook_category)
    return [FailedHook(h.id, h.category,
                       f"hooked late, after its class ran{': ' + h.reason if h.reason else ''}")
            for h in hooks]


def _category(value: Any) -> Category | None:
    try:
        return Category(value)
    except ValueError:
        return None

