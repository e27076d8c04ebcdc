"""``7.4/refusal-denies-service``: refusing the policy must not cost the user the app.

Markers read (contract in docs/scoring.md "Markers the rules read"):

* ``app_exit`` — the app's process ended on its own (the host does not record its own
  stops as exits);
* a host ``step`` marker with ``step: screen_after_refusal``, recorded once the screen
  settled after a refusal: ``texts`` (what the app's windows show), ``actions`` (labels
  — text, or id name — of the clickable views) and ``package`` (the foreground app).

For each counted ``consent_refused``, until the next relaunch step, grant or other
user action: **fail** when the app exits, when another app (the launcher) is in front,
or when the screen offers nothing but exit controls and the refused dialog's own
buttons or controls that only lead back into the decision ("查看协议", "仍不同意"): no
basic mode; **pass** when the screen offers something else and the app did not exit;
**inconclusive** when neither was recorded, or the screen had not settled (``settled:
false``) and offered something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.model.enums import MarkerKind, Phase, Verdict
from harness.model.trace import Marker
from harness.scoring.checklist._common import (
    counted_decisions,
    long_texts,
    marker_key,
    norm,
    ordered,
    refusal_attempt_unrecorded,
    same_dialog,
    step_name,
    texts_of,
)
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, Context, Rule

if TYPE_CHECKING:
    from harness.model.enums import Category
    from harness.scoring.engine import Hits

SCREEN_STEP = "screen_after_refusal"
#: Labels that only leave the app.
EXIT_WORDS = re.compile(
    r"^(?:退出|退出应用|退出程序|关闭|关闭应用|离开|exit|exit app|quit|close|close app|leave)$",
    re.I,
)
#: Labels that only lead back into the consent decision (re-read the policy, refuse
#: again, agree after all): a notice offering nothing else is no basic mode either.
DECISION_WORDS = re.compile(
    r"^(?:查看协议|查看隐私政策|查看政策|再次查看|重新查看|仍不同意|仍然不同意|不同意|同意|同意并继续"
    r"|view policy|view again|read again|still disagree|disagree|agree|accept)$",
    re.I,
)


@dataclass
class _Outcome:
    offending: set[tuple[str, float, str, int | None]] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    unseen: int = 0
    passed: list[str] = field(default_factory=list)
    refusals: int = 0


def judge(markers: list[Marker], app: str) -> _Outcome:
    out = _Outcome()
    counted = counted_decisions(markers)
    timeline = ordered(markers)
    for i, refusal in enumerate(timeline):
        if refusal.marker is not MarkerKind.CONSENT_REFUSED or id(refusal) not in counted:
            continue
        out.refusals += 1
        dialog = set()
        for before in timeline[:i]:
            if before.marker is MarkerKind.CONSENT_SHOWN:
                dialog |= set(texts_of(before.detail))
        decided = False
        for later in timeline[i + 1 :]:
            if _ends_window(later, refusal):
                break
            if later.marker is MarkerKind.APP_EXIT:
                out.offending.add(marker_key(later))
                out.reasons.append(
                    f"the app exited {later.ts - refusal.ts:.0f} ms after the refusal"
                )
                decided = True
                break
            if step_name(later) == SCREEN_STEP:
                verdict = _screen(later, dialog, app)
                if verdict is not None:
                    out.offending.add(marker_key(later))
                    out.reasons.append(verdict)
                elif later.detail.get("settled") is False:
                    # a screen still changing may be on its way to an exit or the dialog
                    break
                else:
                    out.passed.append("the screen after the refusal offers the app's service")
                decided = True
                break
        if not decided:
            out.unseen += 1
    return out


def _ends_window(marker: Marker, refusal: Marker) -> bool:
    if step_name(marker) == "relaunch":
        return True
    if marker.marker is MarkerKind.CONSENT_GRANTED:
        return True
    return (
        marker.marker is MarkerKind.HOST_ACTION
        and marker.ts > refusal.ts
        and marker.detail.get("why") != "refuse"
    )


def _screen(marker: Marker, dialog: set[str], app: str) -> str | None:
    package = marker.detail.get("package")
    if isinstance(package, str) and package and package != app:
        return f"after the refusal {package} is in front: the app left"
    actions = texts_of(marker.detail, "actions")
    others = [
        a for a in actions
        if not (EXIT_WORDS.match(norm(a)) or DECISION_WORDS.match(norm(a))) and a not in dialog
    ]
    if others:
        return None
    shown = (
        "same consent dialog, " if same_dialog(long_texts(dialog), texts_of(marker.detail)) else ""
    )
    return (
        "the screen after the refusal offers nothing but "
        + (shown + ", ".join(actions) if actions else "no control at all")
        + " (no basic mode)"
    )


class RefusalDeniesService(Rule):
    id = "7.4/refusal-denies-service"
    article = "7.4"
    statement = (
        "After the user refuses the privacy policy, the app neither exits nor offers only "
        "an exit or the same dialog: a basic mode stays usable."
    )
    source = f"{CHECKLIST_2019} 四.2; {MIIT_164} (二)3"
    na_means_missing_step = True

    def _outcome(self, ctx: Context) -> _Outcome:
        return ctx.state(self.id, lambda: judge(ctx.timeline.markers, ctx.header.app.package))

    def watched(self, ctx: Context) -> frozenset[Category]:
        return frozenset()  # the host sees exits and screens, no hook is needed

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        if self._outcome(ctx).refusals:
            return None
        unrecorded = refusal_attempt_unrecorded(ctx.timeline.steps)
        if unrecorded:
            return Verdict.INCONCLUSIVE, unrecorded
        return Verdict.NOT_APPLICABLE, "the scenario never refused the privacy policy"

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return marker_key(marker) in self._outcome(ctx).offending

    def failed(self, ctx: Context, hits: Hits) -> str:
        reasons = self._outcome(ctx).reasons
        return "; ".join(reasons[:3])

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        outcome = self._outcome(ctx)
        if outcome.unseen:
            return Verdict.INCONCLUSIVE, (
                "neither an app exit nor the screen after the refusal was recorded "
                f"(a `{SCREEN_STEP}` step marker, docs/scoring.md): what the refusal cost "
                "the user was not observed"
            )
        return Verdict.PASS, outcome.passed[0]
