"""The rules of DESIGN §4.5: what each one selects and how it concludes.

A rule never reads the trace itself: the engine (:mod:`harness.scoring.engine`) reads
the markers once to build the :class:`~harness.scoring.timeline.Timeline`, then streams
the records once for *all* rules, handing each rule the calls (and markers) it
:meth:`Rule.selects`. That keeps scoring one pass with flat memory however many rules
there are. ``Rule.check(trace)`` is the pure "trace → RuleResult" function of one rule.

Shared behaviour (engine): a rule with at least one selected call **fails**, whatever
else happened — the evidence is real. Otherwise, when a hook of one of the rule's
:meth:`Rule.watched` categories failed to install, it is **inconclusive** (it could not
have seen a violation); otherwise :meth:`Rule.quiet` says pass / not applicable /
inconclusive. Finally a recording that is known to be incomplete (device lost, sequence
gap, …) turns pass and inconclusive — and "not applicable because a step never
happened" — into **error**.

Calls that threw (e.g. SecurityException for a missing permission) are selected like
the others: the rule judges what the app *tried* to do before the user decided;
evidence carries ``threw`` so a reader can see that Android refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from harness.model.enums import (
    NAMED_CAPABILITIES,
    PERSONAL_INFORMATION,
    Category,
    MarkerKind,
    Phase,
    Verdict,
)
from harness.model.trace import CallEvent, Marker, TraceHeader
from harness.model.verdict import Evidence

if TYPE_CHECKING:
    from harness.scoring.engine import Hits
    from harness.scoring.timeline import Timeline

#: A call as the rules see it (the one record type of a call, from a file or memory).
CallLike = CallEvent
#: What ``selects`` answers: no, yes, or "ask this predicate for each call".
Selection = bool | Callable[[CallLike], bool]

#: Android runtime permissions → the category of what they guard (7(4) and scope).
PERMISSION_CATEGORIES: dict[str, Category] = {
    "ACCESS_FINE_LOCATION": Category.LOCATION,
    "ACCESS_COARSE_LOCATION": Category.LOCATION,
    "ACCESS_BACKGROUND_LOCATION": Category.LOCATION,
    "READ_CONTACTS": Category.CONTACTS,
    "WRITE_CONTACTS": Category.CONTACTS,
    "CAMERA": Category.CAMERA,
    "RECORD_AUDIO": Category.MICROPHONE,
    "READ_PHONE_STATE": Category.DEVICE_ID,
    "READ_PRIVILEGED_PHONE_STATE": Category.DEVICE_ID,
    "READ_PHONE_NUMBERS": Category.PHONE_NUMBER,
    "READ_SMS": Category.SMS,
    "RECEIVE_SMS": Category.SMS,
    "SEND_SMS": Category.SMS,
    "READ_CALL_LOG": Category.CALL_LOG,
    "WRITE_CALL_LOG": Category.CALL_LOG,
    "READ_CALENDAR": Category.CALENDAR,
    "WRITE_CALENDAR": Category.CALENDAR,
    "READ_EXTERNAL_STORAGE": Category.MEDIA,
    "READ_MEDIA_IMAGES": Category.MEDIA,
    "READ_MEDIA_VIDEO": Category.MEDIA,
    "READ_MEDIA_AUDIO": Category.MEDIA,
    "GET_ACCOUNTS": Category.ACCOUNTS,
}
_TOKENS = re.compile(r"[\s,;\[\]{}()\"']+")


def requested_categories(texts: list[str]) -> set[Category]:
    """Categories of the runtime permissions named in ``texts`` (a call's args).

    Accepts ``android.permission.CAMERA`` and bare ``CAMERA`` tokens, alone or inside
    a list rendering such as ``[android.permission.CAMERA, android.permission.…]``.
    """
    found = set()
    for text in texts:
        for token in _TOKENS.split(text):
            category = PERMISSION_CATEGORIES.get(token.removeprefix("android.permission."))
            if category is not None:
                found.add(category)
    return found


def _requests_named_capability(call: CallLike) -> bool:
    return not requested_categories(call.args).isdisjoint(NAMED_CAPABILITIES)


def _permission_names(marker: Marker) -> list[str]:
    perms = marker.detail.get("permissions", [])
    return [str(p) for p in perms] if isinstance(perms, list) else [str(perms)]


def _names(categories: set[Category] | frozenset[Category]) -> str:
    return ", ".join(sorted(c.value for c in categories))


_State = TypeVar("_State")

#: Where the checklist items a rule implements are cited (docs/scoring.md).
CHECKLIST_2019 = "《App违法违规收集使用个人信息行为认定方法》(2019)"
MIIT_164 = "工信部信管〔2020〕164号"


@dataclass(frozen=True)
class Context:
    """What a rule may look at besides the calls it selected.

    ``scratch`` is per scoring run: a rule that counts across calls (rates, windows)
    keeps its state there, never on the rule object, so one rule instance can score
    many traces — also at the same time — and each ``score()`` starts from nothing.
    """

    header: TraceHeader
    timeline: Timeline
    scratch: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def state(self, key: str, factory: Callable[[], _State]) -> _State:
        """This run's state under ``key`` (a rule id), made by ``factory`` on first use."""
        if key not in self.scratch:
            self.scratch[key] = factory()
        return self.scratch[key]  # type: ignore[no-any-return]


class Rule:
    """One check of DESIGN §4.5. Subclasses set the class attributes and override."""

    id: str
    article: str
    statement: str
    #: The checklist item(s) the rule implements (docs/scoring.md cites them in full).
    source: str = ""
    #: "Not applicable" from :meth:`quiet` means a scenario step never happened (so an
    #: incomplete recording makes it an error), rather than "the rule has no subject".
    na_means_missing_step = False

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        """Whether calls of ``category`` in ``phase`` are evidence against the app."""
        return False

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return False

    def marker_evidence(
        self, ctx: Context, marker: Marker, phase: Phase, t_rel: float | None
    ) -> Evidence | None:
        """The evidence row of a marker this rule selected, when the rule knows more than
        the engine's default (a permission prompt's permissions, the SDK unknown): its
        category, SDK and what to show as args. None: the default row."""
        return None

    def watched(self, ctx: Context) -> frozenset[Category]:
        """Categories whose hooks this rule relies on to see a violation."""
        return PERSONAL_INFORMATION

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        """A verdict known from the markers alone (no call can change it), or None."""
        return None

    def failed(self, ctx: Context, hits: Hits) -> str:
        """The reason of a fail (``hits.count`` > 0)."""
        raise NotImplementedError

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        """The verdict when nothing was selected and every watched hook was in."""
        raise NotImplementedError

    def check(self, trace: object) -> object:
        """This rule alone over ``trace``: a :class:`~harness.model.RuleResult`."""
        from harness.scoring.engine import score

        return score(trace, rules=(self,)).rules[0]  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"<Rule {self.id}>"


def _consent_note(ctx: Context) -> str:
    if ctx.timeline.consent.granted_ts is None:
        return " (consent was never given, so the whole trace counts as before consent)"
    return ""


class PreConsentCollection(Rule):
    id = "7.2/pre-consent-collection"
    article = "7.2"
    statement = "No personal information is collected before the user agrees."
    source = f"{CHECKLIST_2019} 三.1; {MIIT_164} (一)1"

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        return phase is Phase.PRE_CONSENT and category in PERSONAL_INFORMATION

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"{hits.count} personal-information call(s) before consent: "
            f"{hits.category_summary()}{_consent_note(ctx)}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, "no personal-information call before consent" + _consent_note(ctx)


class PostRefusalCollection(Rule):
    id = "7.2/post-refusal-collection"
    article = "7.2"
    statement = "No personal information is collected after the user refuses or withdraws."
    na_means_missing_step = True
    source = f"{CHECKLIST_2019} 三.2"

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        return phase is Phase.POST_REFUSAL and category in PERSONAL_INFORMATION

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        consent = ctx.timeline.consent
        if consent.refused_ts is not None or consent.withdrawn_ts:
            return None
        attempts = ctx.timeline.steps.get("refuse", []) + ctx.timeline.steps.get("withdraw", [])
        if attempts:
            said = [
                str(a.get("reason") or a["message"])
                for a in attempts
                if a.get("reason") or a.get("message")
            ]
            return Verdict.INCONCLUSIVE, (
                "a refuse/withdraw step ran but no consent_refused or consent_withdrawn "
                "marker was recorded (was the consent dialog found?)"
                + (f": {said[0]}" if said else "")
            )
        return Verdict.NOT_APPLICABLE, "the scenario never refused or withdrew consent"

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"{hits.count} personal-information call(s) after the user refused or "
            f"withdrew consent: {hits.category_summary()}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, "no personal-information call after the refusal"


class NoConsentPrompt(Rule):
    id = "7.2/no-consent-prompt"
    article = "7.2"
    statement = "An app that collects personal information shows a consent dialog."
    source = f"{CHECKLIST_2019} 一.2"

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        return category in PERSONAL_INFORMATION

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        if ctx.timeline.dialog_seen:
            return Verdict.PASS, "a consent dialog was shown"
        return None

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"no consent dialog was ever shown, yet {hits.count} personal-information "
            f"call(s) happened: {hits.category_summary()}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, (
            "no consent dialog was shown, but no personal information was collected"
        )


class SensitiveBeforeConsent(Rule):
    id = "7.4/sensitive-before-consent"
    article = "7.4"
    statement = (
        "Location, contacts, camera and microphone are not used, nor their permissions "
        "requested, before the user agrees."
    )
    source = f"{CHECKLIST_2019} 三.1"

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        if phase is not Phase.PRE_CONSENT:
            return False
        if category in NAMED_CAPABILITIES:
            return True
        if category is Category.PERMISSION_REQUEST:
            return _requests_named_capability
        return False

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        # The system prompt itself shows the request even when no hook saw the call.
        return (
            phase is Phase.PRE_CONSENT
            and marker.marker is MarkerKind.PERMISSION_PROMPT
            and not requested_categories(_permission_names(marker)).isdisjoint(NAMED_CAPABILITIES)
        )

    def watched(self, ctx: Context) -> frozenset[Category]:
        return NAMED_CAPABILITIES | {Category.PERMISSION_REQUEST}

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"{hits.count} use(s) of location/contacts/camera/microphone, or request(s) for "
            f"their permissions, before consent: {hits.category_summary()}{_consent_note(ctx)}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, (
            "no location, contacts, camera or microphone use before consent" + _consent_note(ctx)
        )


class PermissionBeforeConsent(Rule):
    id = "7.4/permission-before-consent"
    article = "7.4"
    statement = "No runtime-permission prompt appears before the user agrees."
    source = f"{CHECKLIST_2019} 三.1; {MIIT_164} (二)3"

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        return phase is Phase.PRE_CONSENT and category is Category.PERMISSION_REQUEST

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return phase is Phase.PRE_CONSENT and marker.marker is MarkerKind.PERMISSION_PROMPT

    def watched(self, ctx: Context) -> frozenset[Category]:
        return frozenset({Category.PERMISSION_REQUEST})

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"{hits.count} runtime-permission request(s) or prompt(s) before consent"
            + _consent_note(ctx)
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, "no runtime-permission request before consent" + _consent_note(ctx)


class UnrelatedFunction(Rule):
    id = "7.4/unrelated-function"
    article = "7.4"
    statement = "No category outside the scenario's stated scope is used."
    source = f"{CHECKLIST_2019} 四.1"

    def _scope(self, ctx: Context) -> frozenset[Category]:
        return frozenset(ctx.header.scope or ())

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        scope = self._scope(ctx)
        # Installs are the bundled-install rule's subject, not a "function" here.
        if category is Category.PACKAGE_INSTALL or category in scope:
            return False
        if category is Category.PERMISSION_REQUEST:
            return lambda call: not requested_categories(call.args) <= scope
        return True

    def watched(self, ctx: Context) -> frozenset[Category]:
        return frozenset(set(Category) - self._scope(ctx) - {Category.PACKAGE_INSTALL})

    def decided(self, ctx: Context) -> tuple[Verdict, str] | None:
        if ctx.header.scope is None:
            return Verdict.NOT_APPLICABLE, "the scenario states no scope"
        return None

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"{hits.count} call(s) outside the scope [{_names(self._scope(ctx))}]: "
            f"{hits.category_summary()}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, f"every call stays within the scope [{_names(self._scope(ctx))}]"


class BundledInstall(Rule):
    id = "7.4/bundled-install"
    article = "7.4"
    statement = "The app installs no other package unless a user action asked for it."
    source = "Provisions (2016) Art. 7(4) (bundled installs)"

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        if category is not Category.PACKAGE_INSTALL:
            return False
        timeline = ctx.timeline
        return lambda call: not timeline.install_asked(call.ts)

    def watched(self, ctx: Context) -> frozenset[Category]:
        return frozenset({Category.PACKAGE_INSTALL})

    def failed(self, ctx: Context, hits: Hits) -> str:
        return (
            f"{hits.count} package install(s) with no user action asking for one in the "
            "2 s before (a tap on an install / download / update control)"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        return Verdict.PASS, "no package install that the user did not ask for"


#: The rules, in report order.
RULES: tuple[Rule, ...] = (
    PreConsentCollection(),
    PostRefusalCollection(),
    NoConsentPrompt(),
    SensitiveBeforeConsent(),
    PermissionBeforeConsent(),
    UnrelatedFunction(),
    BundledInstall(),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
