"""``7.2/policy-unreadable``: the policy the dialog names can be opened, and says what,
why and how.

Markers read (contract in docs/scoring.md "Markers the rules read"): the host ``step``
marker ``read_policy`` that the scenario step of that name leaves:

* ``detail.happened`` — false when no consent dialog was found to read it from, or what
  the link opened could not be seen (the app ended, the screen could not be read);
* ``detail.link`` — the label of the policy link tapped, or null: the dialog has none;
* ``detail.opened`` — whether tapping it brought up a screen with text of its own;
* ``detail.text`` — that screen's text (joined, at most ``MAX_TEXT`` characters).

**fail**: the dialog names no openable policy (no link, or the link shows nothing), or
the policy's text does not state the purpose, the method and the scope of collection
(keyword sets in Chinese and English below; a scenario's ``rule_options`` may replace
them: ``{"7.2/policy-unreadable": {"purpose": [...], "method": [...], "scope": [...]}}``);
**inconclusive**: a ``read_policy`` step found no dialog, or could not see what the link
opened; **not applicable**: the
scenario never read the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.errors import InputError
from harness.model.enums import Phase, Verdict
from harness.model.trace import Marker
from harness.scoring.checklist._common import marker_key, ordered, rule_options, step_name
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, Context, Rule

if TYPE_CHECKING:
    from harness.model.enums import Category
    from harness.scoring.engine import Hits

STEP = "read_policy"
#: What the runner keeps of a policy screen (the rest is in the evidence folder).
MAX_TEXT = 20_000
#: Words that show the policy states each of the three things (认定方法 一.3: "未逐一列出
#: App…收集使用个人信息的目的、方式、范围").
DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "purpose": ("目的", "用途", "用于", "为了", "purpose", "we use", "used to", "in order to"),
    "method": ("方式", "如何收集", "通过", "收集方式", "method", "how we collect", "collected by",
               "through"),
    "scope": ("范围", "类型", "包括", "收集的信息", "收集以下", "scope", "categories",
              "types of", "information we collect", "includ"),
}


@dataclass
class _Reading:
    offending: set[tuple[str, float, str, int | None]] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    read: int = 0
    not_found: list[str] = field(default_factory=list)


def _keywords(options: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    out = dict(DEFAULT_KEYWORDS)
    for name, words in options.items():
        if name not in DEFAULT_KEYWORDS:
            raise InputError(
                f"unknown option {name!r} (known: {', '.join(DEFAULT_KEYWORDS)})",
                field=f"options.7.2/policy-unreadable.{name}",
            )
        if not (isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)):
            raise InputError("must be a non-empty list of words",
                             field=f"options.7.2/policy-unreadable.{name}")
        out[name] = tuple(words)
    return out


def missing(text: str, keywords: dict[str, tuple[str, ...]]) -> list[str]:
    """Which of purpose / method / scope no keyword of the text shows."""
    low = re.sub(r"\s+", " ", text).lower()
    return [name for name, words in keywords.items() if not any(w.lower() in low for w in words)]


def judge(markers: list[Marker], keywords: dict[str, tuple[str, ...]]) -> _Reading:
    out = _Reading()
    for marker in ordered(markers):
        if step_name(marker) != STEP:
            continue
        detail = marker.detail
        if detail.get("happened") is False:
            out.not_found.append(str(detail.get("reason") or "no consent dialog was found"))
            continue
        out.read += 1
        link = detail.get("link")
        text = detail.get("text")
        if not isinstance(link, str) or not link:
            out.offending.add(marker_key(marker))
            out.reasons.append("the consent dialog has no link to its privacy policy")
        elif detail.get("opened") is not True or not isinstance(text, str) or not text.strip():
            out.offending.add(marker_key(marker))
            out.reasons.append(f"the policy link {link!r} opens nothing readable")
        else:
            lacking = missing(text, keywords)
            if lacking:
                out.offending.add(marker_key(marker))
                out.reasons.append(
                    f"the privacy policy behind {link!r} does not state the "
                    f"{', '.join(lacking)} of collection ({len(text)} characters read)"
                )
    return out


class PolicyUnreadable(Rule):
    id = "7.2/policy-unreadable"
    article = "7.2"
    statement = (
        "The consent dialog links a privacy policy that opens and states the purpose, "
        "method and scope of collection."
    )
    source = f"{CHECKLIST_2019} 一.1–一.3; {MIIT_164} (一)1"
    na_means_missing_step = True
    #: What a scenario's ``rule_options`` may set for this rule.
    option_names: frozenset[str] = frozenset(DEFAULT_KEYWORDS)

    def _reading(self, ctx: Context) -> _Reading:
        def make() -> _Reading:
            keywords = _keywords(rule_options(ctx.header, self.id))
            return judge(ctx.timeline.markers, keywords)

        return ctx.state(self.id, make)

    def watched(self, ctx: Context) -> frozenset[Category]:
        return frozenset()  # the host reads the policy screen; no hook is needed

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        reading = self._reading(ctx)
        if reading.read:
            return None
        if reading.not_found:
            return Verdict.INCONCLUSIVE, (
                f"a read_policy step could not read the policy: {reading.not_found[0]}"
            )
        return Verdict.NOT_APPLICABLE, "the scenario never opened the privacy policy"

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return marker_key(marker) in self._reading(ctx).offending

    def failed(self, ctx: Context, hits: Hits) -> str:
        return "; ".join(dict.fromkeys(self._reading(ctx).reasons))

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, "the policy opens from the dialog and states purpose, method and scope"
