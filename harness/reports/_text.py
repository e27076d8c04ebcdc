"""Text hygiene for everything the app (or a hostile trace) supplies.

Strings from a trace can hold anything: markup, quotes, control characters, lone
surrogates (JSON allows ``"\\ud800"``). XML 1.0 forbids most control characters outright
and UTF-8 cannot encode lone surrogates, so every string is cleaned before it reaches a
writer; escaping for the target format happens on top of that.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

# Characters XML 1.0 does not allow (and that are useless noise in HTML as well):
# C0 controls except TAB/LF/CR, DEL..C1 controls, lone surrogates, U+FFFE/U+FFFF.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: object, *, limit: int | None = None) -> str:
    """``str(text)`` with forbidden characters shown as ``\\xNN``/``\\uNNNN``, optionally cut."""
    s = "" if text is None else str(text)
    if limit is not None and len(s) > limit:
        s = s[:limit] + f"… [{len(s) - limit} more characters]"
    return _BAD_CHARS.sub(_show_char, s)


def _show_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def esc(text: object, *, limit: int | None = None) -> str:
    """Clean and HTML-escape (quotes included): safe in element text and quoted attributes."""
    return html.escape(clean(text, limit=limit), quote=True)


_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_SLUG_MAX = 60


def slugify(name: str) -> str:
    """A file-name-safe ASCII slug: ``[a-z0-9-]``, no leading/trailing ``-``, never empty.

    Names that lose characters in the conversion (non-ASCII scenario names such as
    ``新闻 — 拒绝``) get a short hash of the original name appended, so that two
    different names do not collapse onto one slug.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    # Dropping punctuation ("—", "·") is harmless; dropping letters or digits is not.
    lossy = any(not ch.isascii() and unicodedata.category(ch)[0] in "LN" for ch in decomposed)
    if len(slug) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX].rstrip("-")
        lossy = True
    if not slug or lossy or slug in _WINDOWS_RESERVED:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"scenario-{digest}"
    return slug
