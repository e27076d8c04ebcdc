"""The report's language: English (the source language) or Chinese, via gettext catalogs.

Every piece of report text goes through one :class:`Translator`: labels with
:meth:`Translator.t` / :meth:`Translator.n` (gettext / ngettext, then ``str.format`` with
named fields — never string concatenation, so a translation can reorder the sentence),
closed vocabularies (categories, phases, verdicts) with :meth:`Translator.term`, rule
statements by rule id (:meth:`Translator.statement`, falling back to the English text a
rule carries for ids the catalog does not know yet) and rule reasons by message template
(:meth:`Translator.reason`, see :mod:`harness.reports.reasons`).

Catalogs: ``locale/<lang>/LC_MESSAGES/consent_harness.po`` (the source, edited by hand)
and the ``.mo`` compiled from it (``python -m harness.reports.pocompile``), both shipped as
package data. When the ``.mo`` is missing (a source tree) the ``.po`` is compiled in
memory at first use.

The default language comes from the locale: ``LC_ALL``, else ``LC_MESSAGES``, else
``LANG`` (POSIX precedence; the first one set decides); a value starting with ``zh``
means Chinese, anything else (or nothing) English.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from harness.errors import InputError

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
DOMAIN = "consent_harness"
LOCALE_DIR = Path(__file__).parent / "locale"
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """``zh`` when the locale (LC_ALL > LC_MESSAGES > LANG) starts with ``zh``, else ``en``."""
    env = os.environ if environ is None else environ
    for var in _LOCALE_VARS:
        value = env.get(var)
        if value:
            return "zh" if value.strip().lower().startswith("zh") else "en"
    return "en"


def resolve_lang(lang: str | None, environ: Mapping[str, str] | None = None) -> Lang:
    """``None`` → :func:`default_lang`; ``zh``, ``zh-CN``, ``zh_CN.UTF-8`` → ``zh``; ``en…`` →
    ``en``; anything else is an :class:`InputError` naming the accepted values."""
    if lang is None:
        return default_lang(environ)
    norm = lang.strip().lower().replace("_", "-")
    if norm == "zh" or norm.startswith("zh-"):
        return "zh"
    if norm == "en" or norm.startswith("en-"):
        return "en"
    raise InputError(f"unknown report language {lang!r}: use zh (中文) or en (English)")


@functools.lru_cache(maxsize=4)
def _translations(lang: Lang) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    base = LOCALE_DIR / lang / "LC_MESSAGES" / DOMAIN
    mo, po = base.with_suffix(".mo"), base.with_suffix(".po")
    if mo.is_file():
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        from harness.reports.pocompile import compile_po

        data = compile_po(po.read_text(encoding="utf-8"), po)
        return gettext.GNUTranslations(io.BytesIO(data))
    raise InputError(f"the {lang} report catalog is missing", path=str(base))


class Translator:
    """All report text in one language (module doc)."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang: Lang = resolve_lang(lang)
        self._g = _translations(self.lang)

    @property
    def html_lang(self) -> str:
        return "zh-CN" if self.lang == "zh" else "en"

    def t(self, message: str, /, **fields: Any) -> str:
        """``gettext(message).format(**fields)``."""
        text = self._g.gettext(message)
        return text.format(**fields) if fields else text

    def n(self, singular: str, plural: str, count: int, /, **fields: Any) -> str:
        """``ngettext(…)``, formatted with ``n=count`` and ``fields``."""
        return self._g.ngettext(singular, plural, count).format(n=count, **fields)

    def lookup(self, context: str, key: str) -> str | None:
        """The translation of ``key`` in ``context``, or None when the catalog has none."""
        if self.lang == "en" or not key:
            return None
        text = self._g.pgettext(context, key)
        return None if text == key else text  # pgettext answers the key when it has none

    def term(self, kind: str, value: object) -> str:
        """A closed-vocabulary value (``category``, ``phase``, ``verdict``, ``marker``…):
        translated, or the value itself (English reports show the identifiers)."""
        raw = str(getattr(value, "value", value))
        return self.lookup(kind, raw) or raw

    def statement(self, rule_id: str, english: str) -> str:
        """A rule's one-line statement, by rule id; the rule's own English text otherwise."""
        return self.lookup("rule", rule_id) or english

    def reason(self, english: str) -> str:
        """A rule's reason, translated by message template where one matches."""
        if self.lang == "en":
            return english
        from harness.reports.reasons import translate_reason

        return translate_reason(english, self)

    def categories(self, text: str) -> str:
        """``device_id ×2, network_id ×1`` or ``location, camera`` with names translated."""
        if self.lang == "en":
            return text
        parts = []
        for part in text.split(", "):
            name, sep, rest = part.partition(" ×")
            parts.append(self.term("category", name) + (f" ×{rest}" if sep else ""))
        return "，".join(parts)


@functools.lru_cache(maxsize=4)
def _cached(lang: Lang) -> Translator:
    return Translator(lang)


def get_translator(lang: str | None = None) -> Translator:
    """A shared :class:`Translator`; ``None`` reads the locale now (:func:`default_lang`)."""
    return _cached(resolve_lang(lang))
