"""``7.4/re-ask-after-refusal``: a refused dialog or a denied permission does not come back.

Read from the markers alone (module :mod:`harness.scoring.checklist` doc):

* **a refusal** is a counted ``consent_refused``; **a denial** is a host
  ``permission_result`` with ``answer: deny``, for every ``permission_prompt`` seen
  since the previous answer (one request can raise several prompts);
* **the consent dialog comes back** when, after the refusal, a ``consent_shown`` is
  recorded (the recorder judged it the consent dialog), or an agent ``dialog_shown``
  shows a text of at least 8 characters of the refused dialog (its title or body:
  button labels alone do not make a dialog the same; without the refused dialog's texts
  such a dialog makes the rule inconclusive); markers until the next decision or launch
  are one appearance;
* **a denied prompt comes back** when a later ``permission_prompt`` asks for one of the
  denied permissions (by name, or by the category of the system prompt's question);
  a prompt whose permission cannot be told is not counted, it makes the rule
  inconclusive;
* a ``relaunch`` step starts the next launch; with ``clear_data`` the app starts as
  newly installed, so what was refused before is forgotten;
* **fail**: a comeback in the same session, or on a later launch within 48 h of the
  refusal, or a second comeback at any time; a later grant (or allow) ends the refusal.
* **pass** needs both halves observed: the rest of the refusal's session and a later
  launch (a ``relaunch`` step followed by another step). Otherwise **inconclusive**.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.model.enums import Category, MarkerKind, Phase, Verdict
from harness.model.trace import Marker
from harness.scoring.checklist._common import (
    counted_decisions,
    long_texts,
    marker_key,
    ordered,
    prompt_topics,
    refusal_attempt_unrecorded,
    same_dialog,
    step_name,
    texts_of,
)
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, Context, Rule

if TYPE_CHECKING:
    from harness.scoring.engine import Hits

#: A comeback this soon after the refusal (ms) fails even on a later launch.
REASK_WINDOW_MS = 48 * 3600 * 1000.0


@dataclass
class _Refusal:
    """One refusal still in effect: of the consent dialog, or of permission topics."""

    ts: float
    session: int
    what: str  # "consent dialog" or "permission …"
    dialog: set[str] = field(default_factory=set)
    topics: frozenset[str] = frozenset()
    comebacks: int = 0


@dataclass
class Comeback:
    key: tuple[str, float, str, int | None]
    ts: float
    what: str
    after_ms: float
    same_session: bool
    counts: bool  # within the window, or not the first


@dataclass
class ReAskAnalysis:
    refusals: int = 0
    comebacks: list[Comeback] = field(default_factory=list)
    unknown_prompts: int = 0
    #: Agent dialogs after a refusal of a dialog whose texts were never recorded.
    unrecognisable: int = 0
    #: The last refusal's session was followed by a launch that was observed.
    next_launch_seen: bool = False

    @property
    def offending(self) -> set[tuple[str, float, str, int | None]]:
        return {c.key for c in self.comebacks if c.counts}


def analyse(markers: list[Marker]) -> ReAskAnalysis:
    """Walk the markers once, in time order (module doc)."""
    out = ReAskAnalysis()
    counted = counted_decisions(markers)
    session = 0
    dialog: set[str] = set()  # long texts of the dialog on screen before a decision
    refusals: list[_Refusal] = []
    pending: list[frozenset[str]] = []  # topics of prompts awaiting an answer
    dialog_up = False  # an appearance after a refusal is in progress
    last_refusal_session: int | None = None
    relaunched_at: float | None = None
    for marker in ordered(markers):
        kind = marker.marker
        step = step_name(marker)
        if step == "relaunch":
            session += 1
            dialog_up = False
            if marker.detail.get("clear_data") is True:
                refusals.clear()
                pending.clear()
                last_refusal_session = None
            relaunched_at = marker.ts
            continue
        if step is not None and relaunched_at is not None and last_refusal_session is not None:
            if last_refusal_session < session:
                out.next_launch_seen = True
        if kind in (
            MarkerKind.CONSENT_GRANTED,
            MarkerKind.CONSENT_REFUSED,
            MarkerKind.CONSENT_WITHDRAWN,
        ):
            dialog_up = False
            if id(marker) not in counted:
                continue
            if kind is MarkerKind.CONSENT_REFUSED:
                out.refusals += 1
                refusals.append(
                    _Refusal(marker.ts, session, "the consent dialog", dialog=set(dialog))
                )
                last_refusal_session = session
                out.next_launch_seen = False
            elif kind is MarkerKind.CONSENT_GRANTED:
                refusals[:] = [r for r in refusals if r.topics]
            continue
        if kind in (MarkerKind.CONSENT_SHOWN, MarkerKind.DIALOG_SHOWN):
            texts = texts_of(marker.detail)
            consent = [r for r in refusals if not r.topics]
            if kind is MarkerKind.CONSENT_SHOWN:
                # The recorder already judged this the consent dialog.
                dialog |= long_texts(texts)
                shown = consent
            else:
                shown = [r for r in consent if same_dialog(r.dialog, texts)]
                # A raw dialog can only be recognised by the refused dialog's texts.
                out.unrecognisable += sum(1 for r in consent if not r.dialog)
            if shown and not dialog_up:
                dialog_up = True
                for refusal in shown:
                    _comeback(out, refusal, marker, session)
            continue
        if kind is MarkerKind.PERMISSION_PROMPT:
            topics = prompt_topics(marker)
            denied = [r for r in refusals if r.topics]
            if not topics:
                if denied:
                    out.unknown_prompts += 1
                continue
            if topics not in pending:
                matched = [r for r in denied if not r.topics.isdisjoint(topics)]
                for refusal in matched:
                    _comeback(out, refusal, marker, session)
            pending.append(topics)
            continue
        if kind is MarkerKind.PERMISSION_RESULT:
            answer = marker.detail.get("answer")
            asked = frozenset().union(*pending) if pending else frozenset()
            pending.clear()
            if answer == "deny" and asked:
                out.refusals += 1
                names = ", ".join(sorted(asked))
                refusals.append(
                    _Refusal(marker.ts, session, f"the permission prompt ({names})", topics=asked)
                )
                last_refusal_session = session
                out.next_launch_seen = False
            elif answer == "allow" and asked:
                refusals[:] = [r for r in refusals if r.topics.isdisjoint(asked)]
    return out


def _comeback(out: ReAskAnalysis, refusal: _Refusal, marker: Marker, session: int) -> None:
    after = marker.ts - refusal.ts
    refusal.comebacks += 1
    counts = refusal.session == session or after <= REASK_WINDOW_MS or refusal.comebacks > 1
    out.comebacks.append(
        Comeback(
            marker_key(marker), marker.ts, refusal.what, after, refusal.session == session, counts
        )
    )


class ReAskAfterRefusal(Rule):
    id = "7.4/re-ask-after-refusal"
    article = "7.4"
    statement = (
        "After the user refuses, the consent dialog or a denied permission prompt does not "
        "come back in the same session, nor on a later launch within 48 h, nor twice."
    )
    source = f"{CHECKLIST_2019} 三.2; {MIIT_164} (二)3"
    na_means_missing_step = True

    def _analysis(self, ctx: Context) -> ReAskAnalysis:
        return ctx.state(self.id, lambda: analyse(ctx.timeline.markers))

    def watched(self, ctx: Context) -> frozenset[Category]:
        # A comeback of a prompt is seen by the permission hooks (the host reads the
        # screen only while a step polls it).
        return frozenset({Category.PERMISSION_REQUEST})

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        if self._analysis(ctx).refusals:
            return None
        unrecorded = refusal_attempt_unrecorded(ctx.timeline.steps)
        if unrecorded:
            return Verdict.INCONCLUSIVE, unrecorded
        return Verdict.NOT_APPLICABLE, "the user never refused consent nor denied a permission"

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return marker_key(marker) in self._analysis(ctx).offending

    def failed(self, ctx: Context, hits: Hits) -> str:
        found = [c for c in self._analysis(ctx).comebacks if c.counts]
        first = found[0]
        when = "in the same session" if first.same_session else "on a later launch"
        return (
            f"{len(found)} time(s) a refused dialog or denied permission prompt came back; "
            f"first {first.what}, {first.after_ms / 1000:.1f} s after the refusal, {when}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        analysis = self._analysis(ctx)
        if analysis.unknown_prompts:
            return Verdict.INCONCLUSIVE, (
                f"{analysis.unknown_prompts} permission prompt(s) after a denial name no "
                "permission this rule can compare with the denied one"
            )
        if analysis.unrecognisable:
            return Verdict.INCONCLUSIVE, (
                f"{analysis.unrecognisable} dialog(s) appeared after the refusal, but the "
                "refused dialog's texts were not recorded: whether it came back is unknown"
            )
        if not analysis.next_launch_seen:
            return Verdict.INCONCLUSIVE, (
                "nothing came back in the session of the refusal, but the scenario did not "
                "relaunch the app afterwards (add `relaunch` and `observe` steps): the next "
                "launch was not observed"
            )
        return Verdict.PASS, (
            "after the refusal, neither the consent dialog nor a denied permission prompt "
            "came back, in the same session or on the next launch"
        )
