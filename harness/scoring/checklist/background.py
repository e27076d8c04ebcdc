"""``7.2/background-collection``: nothing personal is collected while the app is hidden.

The app is in the background from a host ``step`` marker ``background`` (the runner
then presses HOME, waits ``seconds`` and starts the app again) until the first of: its
``seconds`` have passed, the next ``step`` / ``launched`` marker, or an agent
``activity_resumed`` after it. A personal-information call in that span, later than the
grace period after its start, fails the rule, whatever the consent phase: the checklist
singles out collection "在静默状态下或在后台运行时".

The grace (:data:`DEFAULT_GRACE_MS`, 5 s, overridable as ``grace_ms``) leaves an app
the time of ``onPause``/``onStop`` and of work already under way when HOME was
pressed; it is this harness's choice. Categories a scenario lists in the option
``allow`` (e.g. ``[location]`` for a navigation app whose policy states background
location) are not counted.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.errors import InputError
from harness.model.enums import PERSONAL_INFORMATION, Category, MarkerKind, Phase, Verdict
from harness.model.trace import Marker
from harness.scoring.checklist._common import number, ordered, rule_options, step_name
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, Context, Rule, Selection

if TYPE_CHECKING:
    from harness.scoring.engine import Hits

#: Collection this soon after the app went to the background (ms) is not counted.
DEFAULT_GRACE_MS = 5000.0
_BACK = frozenset({MarkerKind.STEP, MarkerKind.LAUNCHED, MarkerKind.ACTIVITY_RESUMED})


@dataclass
class Background:
    """The spans (start, end) in the background, and the part of them judged."""

    spans: list[tuple[float, float]] = field(default_factory=list)
    grace_ms: float = DEFAULT_GRACE_MS
    allowed: frozenset[Category] = frozenset()
    #: Sorted (start + grace, end) windows where collection offends.
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)

    def judged_ms(self) -> float:
        return sum(end - start for start, end in zip(self.starts, self.ends, strict=True))

    def inside(self, ts: float) -> bool:
        i = bisect_right(self.starts, ts)
        return bool(i) and ts <= self.ends[i - 1]


def background_spans(markers: list[Marker]) -> list[tuple[float, float]]:
    """When the app was in the background, from the ``background`` steps (module doc)."""
    ordered_markers = ordered(markers)
    spans = []
    for marker in ordered_markers:
        if step_name(marker) != "background":
            continue
        # the step marker is written when the step ends; ``since`` is when HOME was pressed
        since = marker.detail.get("since")
        start = (float(since) if isinstance(since, int | float) and not isinstance(since, bool)
                 and since <= marker.ts else marker.ts)
        seconds = marker.detail.get("seconds")
        end = float("inf")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds >= 0:
            end = start + float(seconds) * 1000.0
        for later in ordered_markers:
            if later.ts <= start:
                continue
            if later.ts > end:
                break
            if later.marker in _BACK:
                end = later.ts
                break
        spans.append((start, end))
    return spans


class BackgroundCollection(Rule):
    id = "7.2/background-collection"
    article = "7.2"
    statement = (
        "No personal information is collected while the app is in the background, "
        "beyond a short grace period after it was sent there."
    )
    source = f"{MIIT_164} (一)1 (后台运行时收集); {CHECKLIST_2019} 四.4"
    #: What a scenario's ``rule_options`` may set for this rule.
    option_names: frozenset[str] = frozenset({"grace_ms", "allow"})

    def __init__(self, grace_ms: float = DEFAULT_GRACE_MS) -> None:
        self.grace_ms = grace_ms

    def _background(self, ctx: Context) -> Background:
        def make() -> Background:
            options = rule_options(ctx.header, self.id)
            grace = number(options, "grace_ms", self.grace_ms, self.id)
            allowed = _categories(options.get("allow", []), self.id)
            found = Background(background_spans(ctx.timeline.markers), grace, allowed)
            for start, end in sorted(found.spans):
                if end > start + grace:
                    found.starts.append(start + grace)
                    found.ends.append(end)
            return found

        return ctx.state(self.id, make)

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        if not self._background(ctx).spans:
            return Verdict.NOT_APPLICABLE, "the scenario never sent the app to the background"
        return None

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        found = self._background(ctx)
        if category not in PERSONAL_INFORMATION or category in found.allowed:
            return False
        if not found.starts:
            return False
        return lambda call: found.inside(call.ts)

    def watched(self, ctx: Context) -> frozenset[Category]:
        return PERSONAL_INFORMATION - self._background(ctx).allowed

    def failed(self, ctx: Context, hits: Hits) -> str:
        found = self._background(ctx)
        return (
            f"{hits.count} personal-information call(s) while the app was in the background, "
            f"more than {found.grace_ms / 1000:g} s after it was sent there: "
            f"{hits.category_summary()}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        found = self._background(ctx)
        judged = found.judged_ms()
        if judged <= 0:
            return Verdict.INCONCLUSIVE, (
                f"the app was in the background for no longer than the grace period "
                f"({found.grace_ms / 1000:g} s): make the `background` step longer"
            )
        span = (
            "until the recording ended" if judged == float("inf") else f"in {judged / 1000:.1f} s"
        )
        return Verdict.PASS, (
            f"no personal-information call {span} in the background "
            f"(after a {found.grace_ms / 1000:g} s grace)"
        )


def _categories(value: object, rule_id: str) -> frozenset[Category]:
    if not isinstance(value, list):
        raise InputError("must be a list of categories", field=f"options.{rule_id}.allow")
    try:
        return frozenset(Category(v) for v in value)
    except ValueError as exc:
        raise InputError(str(exc), field=f"options.{rule_id}.allow") from exc
