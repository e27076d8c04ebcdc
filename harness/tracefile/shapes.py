"""What an identifier looks like: whole values (:func:`looks_like_identifier`) and
tokens inside longer texts (:func:`embedded_tokens`). Pure functions of a string."""

from __future__ import annotations

import functools
import re
from typing import Any

_REDACTED = re.compile(r"h:[0-9a-f]{8}(?:\.\..{1,4})?", re.DOTALL)
_IDENTIFIER_PATTERNS = [
    re.compile(p)
    for p in (
        r"\+?[\d\s().-]*\d[\d\s().-]*",  # digits with phone punctuation; digit count checked below
        r"[0-9a-fA-F]{8,}",  # ANDROID_ID, hashes
        r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}",  # UUID: ad id, OAID
        r"(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}",  # MAC
        r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{8,}",  # serial-like token
        r"[^@\s]+@[^@\s]+\.[^@\s]+",  # e-mail (accounts)
        r"-?\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+",  # lat,lon
    )
]
#: Shorter digit runs (a SIM slot, a request code) are not identifiers.
_MIN_ID_DIGITS = 6

#: Identifier-shaped tokens inside longer texts (searched, not matched whole). Kept
#: narrower than :data:`_IDENTIFIER_PATTERNS`: in a URL or a sentence a short token is
#: more often a word than an identifier. Each comes with a cheap test that the text may
#: hold one (most texts hold none), and they run in this order: an e-mail or a UUID is
#: replaced whole before its digits could be taken for a phone number.
_EMBEDDED: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(hint), re.compile(pattern))
    for hint, pattern in (
        ("@", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        (
            r"[0-9a-fA-F]{8}-",
            r"(?<![0-9A-Za-z])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9A-Za-z])",
        ),
        (
            r"[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-]",
            r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])",
        ),
        (
            r"\d\.\d{4}",
            r"(?<![\d.])-?\d{1,3}\.\d{4,}\s*,\s*-?\d{1,3}\.\d{4,}(?![\d.])",
        ),
        (
            r"[0-9a-fA-F]{16}",
            r"(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{16,}"
            r"(?![0-9A-Za-z])",
        ),
        (r"\d{11}", r"(?<![\d.])\+?\d{11,20}(?![\d.])"),
    )
)


@functools.lru_cache(maxsize=16384)
def looks_like_identifier(value: str) -> bool:
    """True when ``value`` (stripped) looks like an identifier worth hiding."""
    text = value.strip()
    if len(text) < _MIN_ID_DIGITS or _REDACTED.fullmatch(text):
        return False
    if _IDENTIFIER_PATTERNS[0].fullmatch(text):
        return sum(ch.isdigit() for ch in text) >= _MIN_ID_DIGITS
    return any(p.fullmatch(text) for p in _IDENTIFIER_PATTERNS[1:])


def embedded_tokens(text: str, hide: Any) -> str:
    """``text`` with each identifier-shaped token (:data:`_EMBEDDED`) replaced by
    ``hide(token)``. Redacted forms (``h:`` + 8 hex) match none of the patterns."""
    for hint, pattern in _EMBEDDED:
        if hint.search(text):
            text = pattern.sub(lambda m: str(hide(m.group())), text)
    return text
