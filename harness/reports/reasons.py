"""Translate a rule's reason (English text from :mod:`harness.scoring`) by message template.

Scoring writes reasons in English with f-strings. Each template below is the English
sentence with named placeholders, exactly as the rules and the engine spell it; it is a
gettext msgid, so the catalog holds its translation with the same placeholders. A reason
is matched against the templates (each placeholder has a pattern), the captured values are
translated where they are themselves vocabulary (category summaries, nested reasons) and
the translated template is filled in. A reason no template matches — a rule added since,
a reworded sentence — is shown in English: never wrong, just untranslated
(``tests/reports/test_report_i18n.py`` scores real traces and checks that the reasons of
today's rules all translate).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.reports.i18n import Translator


def N_(message: str) -> str:
    """Marks a msgid for the catalog without translating it here."""
    return message


#: Sentence fragments that scoring appends to reasons.
NOTES = (
    N_(" (consent was never given, so the whole trace counts as before consent)"),
)

#: Reason templates, most specific first (``fullmatch`` decides).
TEMPLATES: tuple[str, ...] = (
    N_("the recording is incomplete ({problem}); otherwise: {reason}"),
    N_("{gap}; otherwise: {reason}"),
    N_("{count} personal-information call(s) before consent: {categories}{note}"),
    N_("no personal-information call before consent{note}"),
    N_(
        "a refuse/withdraw step ran but no consent_refused or consent_withdrawn marker was "
        "recorded (was the consent dialog found?): {detail}"
    ),
    N_(
        "a refuse/withdraw step ran but no consent_refused or consent_withdrawn marker was "
        "recorded (was the consent dialog found?)"
    ),
    N_("the scenario never refused or withdrew consent"),
    N_(
        "{count} personal-information call(s) after the user refused or withdrew consent: "
        "{categories}"
    ),
    N_("no personal-information call after the refusal"),
    N_("a consent dialog was shown"),
    N_(
        "no consent dialog was ever shown, yet {count} personal-information call(s) "
        "happened: {categories}"
    ),
    N_("no consent dialog was shown, but no personal information was collected"),
    N_(
        "{count} use(s) of location/contacts/camera/microphone, or request(s) for their "
        "permissions, before consent: {categories}{note}"
    ),
    N_("no location, contacts, camera or microphone use before consent{note}"),
    N_("{count} runtime-permission request(s) or prompt(s) before consent{note}"),
    N_("no runtime-permission request before consent{note}"),
    N_("the scenario states no scope"),
    N_("{count} call(s) outside the scope [{scope}]: {categories}"),
    N_("every call stays within the scope [{scope}]"),
    N_(
        "{count} package install(s) with no user action asking for one in the 2 s before "
        "(a tap on an install / download / update control)"
    ),
    N_("no package install that the user did not ask for"),
    N_("hooks that this rule relies on failed to install: {hooks} and {more} more"),
    N_("hooks that this rule relies on failed to install: {hooks}"),
    # why a phase was not reached (inside "{gap}; otherwise: …")
    N_("step {step} (line {line}) did not happen: {detail}"),
    N_("step {step} ({file}:{line}) did not happen: {detail}"),
    N_("step {step} did not happen: {detail}"),
    N_("the app died ({how}: {detail}) at ts {ts}; the rest of the scenario was not observed"),
    N_("the app died ({how}) at ts {ts}; the rest of the scenario was not observed"),
    # the engine's problems (inside "the recording is incomplete (…)")
    N_("the trace has no end record: the recording stopped unexpectedly"),
    N_("the recording ended with {end}: {detail}"),
    N_("the recording ended with {end}"),
)

_CATEGORY_SUMMARY = r"[a-z_]+(?: ×\d+)?(?:, [a-z_]+(?: ×\d+)?)*"
_PATTERNS: dict[str, str] = {
    "count": r"\d+",
    "more": r"\d+",
    "categories": _CATEGORY_SUMMARY,
    "scope": r"(?:[a-z_]+(?:, [a-z_]+)*)?",
    "note": "(?:" + "|".join(re.escape(n) for n in NOTES) + ")?",
    "end": r"[a-z_]+",
    "hooks": r".+?",
    "problem": r".+?",
    "gap": r"(?:step |the app died ).+?",
    "step": r"\S+",
    "line": r"\d+",
    "file": r"[^\s():]+",
    "how": r"[a-z_]+",
    "ts": r"\d+",
    "reason": r".+",
    "detail": r".+",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for template in TEMPLATES:
        pattern, pos = [], 0
        for m in _PLACEHOLDER.finditer(template):
            pattern.append(re.escape(template[pos : m.start()]))
            pattern.append(f"(?P<{m.group(1)}>{_PATTERNS[m.group(1)]})")
            pos = m.end()
        pattern.append(re.escape(template[pos:]))
        out.append((template, re.compile("".join(pattern), re.DOTALL)))
    return tuple(out)


def _value(name: str, value: str, tr: Translator, depth: int) -> str:
    converters: dict[str, Callable[[str], str]] = {
        "categories": tr.categories,
        "scope": tr.categories,
        "note": lambda v: tr.t(v) if v else "",
        "end": lambda v: tr.term("end", v),
        "problem": lambda v: translate_reason(v, tr, depth + 1),
        "gap": lambda v: translate_reason(v, tr, depth + 1),
        "how": lambda v: tr.term("how", v),
        "reason": lambda v: translate_reason(v, tr, depth + 1),
    }
    convert = converters.get(name)
    return convert(value) if convert else value


def translate_reason(english: str, tr: Translator, depth: int = 0) -> str:
    """``english`` in ``tr``'s language, or unchanged when no template matches."""
    if depth > 3:
        return english
    for template, regex in _compiled():
        m = regex.fullmatch(english)
        if m is None:
            continue
        translated = tr.t(template)
        if translated == template and tr.lang != "en":
            return english  # the catalog lacks it: stay consistent, stay English
        fields = {k: _value(k, v, tr, depth) for k, v in m.groupdict().items()}
        return translated.format(**fields)
    return english
