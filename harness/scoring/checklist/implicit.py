"""``7.2/implicit-consent``: consent comes from an explicit act of the user.

Markers read (contract in docs/scoring.md "Markers the rules read"):

* ``consent_shown`` ``detail.checkboxes`` — the dialog's checkable views as first shown,
  ``[{"text", "checkable", "checked"}]`` (``[]``: none) — and ``detail.refuse_choice``
  — whether the dialog offers a way to refuse;
* ``consent_granted`` ``detail.how`` — how the consent came about: ``tap`` / ``click``
  (an explicit act), or ``back`` / ``outside`` / ``continue`` / ``dismiss`` /
  ``timeout`` (assumed). The runner's own taps (``via: input tap``) and the agent's
  clicks (``from: view_clicked``) on the agree button are explicit.

**fail**: a pre-ticked consent checkbox, a dialog with no refuse choice, or a grant
assumed; **inconclusive**: no ``consent_shown`` reports the dialog's checkboxes and
choices, or a grant does not say how it came about; **not applicable**: no consent
dialog and no grant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.model.enums import MarkerKind, Phase, Verdict
from harness.model.trace import Marker
from harness.scoring.checklist._common import marker_key, ordered
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, Context, Rule

if TYPE_CHECKING:
    from harness.model.enums import Category
    from harness.scoring.engine import Hits

EXPLICIT = frozenset({"tap", "click"})
ASSUMED = frozenset({"back", "outside", "continue", "dismiss", "timeout"})


@dataclass
class _Findings:
    offending: set[tuple[str, float, str, int | None]] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    dialog_state_seen: bool = False
    unknown_grants: int = 0
    subject: bool = False


def how(marker: Marker) -> str | None:
    """How a grant came about (module doc), None when the marker does not say."""
    value = marker.detail.get("how")
    if isinstance(value, str):
        return value.lower()
    if marker.detail.get("via") == "input tap" or marker.detail.get("from") == "view_clicked":
        return "tap"
    return None


def find(markers: list[Marker]) -> _Findings:
    out = _Findings()
    for marker in ordered(markers):
        if marker.marker is MarkerKind.CONSENT_SHOWN:
            out.subject = True
            boxes = marker.detail.get("checkboxes")
            choice = marker.detail.get("refuse_choice")
            if isinstance(boxes, list) and isinstance(choice, bool):
                out.dialog_state_seen = True
            ticked = (
                [
                    str(b.get("text") or "(no label)")
                    for b in boxes or []
                    if isinstance(b, dict) and b.get("checked") is True
                ]
                if isinstance(boxes, list)
                else []
            )
            if ticked:
                out.offending.add(marker_key(marker))
                out.reasons.append(f"a consent checkbox was ticked in advance: {ticked[0]!r}")
            if choice is False:
                out.offending.add(marker_key(marker))
                out.reasons.append("the consent dialog offers no way to refuse")
        elif marker.marker is MarkerKind.CONSENT_GRANTED:
            out.subject = True
            kind = how(marker)
            if kind in ASSUMED:
                out.offending.add(marker_key(marker))
                out.reasons.append(f"consent was assumed from {kind!r}, not given by a tap")
            elif kind not in EXPLICIT:
                out.unknown_grants += 1
    return out


class ImplicitConsent(Rule):
    id = "7.2/implicit-consent"
    article = "7.2"
    statement = (
        "Consent is an explicit act: no pre-ticked box, a refuse choice in the dialog, "
        "and never assumed from dismissing it or from continued use."
    )
    source = f"{CHECKLIST_2019} 三.4; {MIIT_164} (一)1"

    def _findings(self, ctx: Context) -> _Findings:
        return ctx.state(self.id, lambda: find(ctx.timeline.markers))

    def watched(self, ctx: Context) -> frozenset[Category]:
        return frozenset()  # the dialog and the grant are seen by the host's UI reading

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        if not self._findings(ctx).subject:
            return Verdict.NOT_APPLICABLE, "no consent dialog and no consent were seen"
        return None

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return marker_key(marker) in self._findings(ctx).offending

    def failed(self, ctx: Context, hits: Hits) -> str:
        return "; ".join(dict.fromkeys(self._findings(ctx).reasons))

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        findings = self._findings(ctx)
        if not findings.dialog_state_seen:
            return Verdict.INCONCLUSIVE, (
                "the recording does not report the consent dialog's checkboxes and refuse "
                "choice (consent_shown detail.checkboxes / refuse_choice, docs/scoring.md)"
            )
        if findings.unknown_grants:
            return Verdict.INCONCLUSIVE, (
                f"{findings.unknown_grants} grant(s) do not say how consent was given "
                "(consent_granted detail.how)"
            )
        return Verdict.PASS, "no pre-ticked box, a refuse choice, and consent given by a tap"
