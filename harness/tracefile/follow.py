"""Redaction that follows the values (see :mod:`harness.tracefile.redact`): the values
learned in one trace, their encodings, and one trie-shaped regex that finds them all."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from typing import Any

from harness.tracefile.shapes import _REDACTED, embedded_tokens, looks_like_identifier

#: Separators that SDKs strip before hashing or sending an identifier.
_SEPARATORS = re.compile(r"[\s:().+-]")
#: Shortest value worth remembering: shorter ones would hide ordinary text.
_MIN_LEARNED = 6
#: Longest value remembered (identifiers are short; a long text is not one value).
_MAX_LEARNED = 128
#: Values remembered per trace (a device has a dozen identifiers; bounded against
#: hostile variety).
_LEARNED_MAX = 4096
_MEMO_MAX = 16384


def encodings(value: str) -> dict[str, str]:
    """The forms of ``value`` an SDK is likely to write instead of it (module doc), each
    with the name of its encoding (``""`` for the value itself, in any case or without
    separators)."""
    forms: dict[str, str] = {value: ""}
    compact = _SEPARATORS.sub("", value)
    if len(compact) >= _MIN_LEARNED:
        forms.setdefault(compact, "")
    for form in list(forms):
        raw = form.encode("utf-8")
        forms.setdefault(raw.hex(), "hex")
        forms.setdefault(base64.b64encode(raw).decode("ascii").rstrip("="), "base64")
        for variant in (form, form.lower(), form.upper()):
            data = variant.encode("utf-8")
            forms.setdefault(hashlib.md5(data).hexdigest(), "md5")  # noqa: S324 - what SDKs send
            forms.setdefault(hashlib.sha1(data).hexdigest(), "sha1")  # noqa: S324
            forms.setdefault(hashlib.sha256(data).hexdigest(), "sha256")
    return {f: kind for f, kind in forms.items() if len(f) >= _MIN_LEARNED}


class ValueTracker:
    """The identifier values seen so far in one trace, and one regex matching them all.

    Matching ignores case (hex digests and MACs come in both). The regex is rebuilt
    lazily, after a new value was learned; :meth:`scrub` memoises its answers until
    then (an app writes the same few strings again and again).
    """

    def __init__(self) -> None:
        self._values: set[str] = set()
        #: lower-cased form → (the value it encodes, the encoding's name or "")
        self._forms: dict[str, tuple[str, str]] = {}
        self._regex: re.Pattern[str] | None = None
        self._regex_any_case: re.Pattern[str] | None = None
        self._dirty = False
        self._memo: dict[tuple[str, bool], str] = {}
        #: Grows each time a new value is learned (callers' memos key on it).
        self.generation = 0

    def __len__(self) -> int:
        return len(self._values)

    def learn(self, value: str) -> None:
        """Remember ``value`` (stripped); short and already-redacted texts are ignored."""
        text = value.strip()
        if (
            text in self._values
            or not _MIN_LEARNED <= len(text) <= _MAX_LEARNED
            or len(self._values) >= _LEARNED_MAX
            or _REDACTED.fullmatch(text)
        ):
            return
        self._values.add(text)
        for form, kind in encodings(text).items():
            self._forms.setdefault(form.lower(), (text, kind))
        self._dirty = True
        self.generation += 1

    def learn_from(self, text: str) -> None:
        """Remember ``text`` if it is an identifier, else the identifiers inside it."""
        if text in self._values:
            return
        if looks_like_identifier(text):
            self.learn(text)
            return
        embedded_tokens(text, self._learn_token)

    def _learn_token(self, token: str) -> str:
        self.learn(token)
        return token

    def scrub(self, text: str, hide: Any, *, embedded: bool) -> str:
        """``text`` with learned forms (and, if ``embedded``, identifier-shaped tokens)
        replaced by ``hide(value)``."""
        if len(text) < _MIN_LEARNED:
            return text
        if self._dirty:
            self._rebuild()
        key = (text, embedded)
        done = self._memo.get(key)
        if done is not None:
            return done
        out = text
        if self._regex is not None:
            out = self._replace_forms(text, hide)
        if embedded:
            out = embedded_tokens(out, hide)
        if len(self._memo) >= _MEMO_MAX:
            self._memo.clear()
        self._memo[key] = out
        return out

    def _replace_forms(self, text: str, hide: Any) -> str:
        forms = self._forms
        if text.isascii():
            # Match the lower-cased text case-sensitively (forms are stored lower-case):
            # several times faster than IGNORECASE, and positions are the same in ASCII.
            assert self._regex is not None
            low = text.lower()
            parts: list[str] = []
            last = 0
            for match in self._regex.finditer(low):
                parts.append(text[last : match.start()])
                parts.append(_hidden(forms[match.group()], hide))
                last = match.end()
            if not parts:
                return text
            parts.append(text[last:])
            return "".join(parts)
        if self._regex_any_case is None:
            assert self._regex is not None
            self._regex_any_case = re.compile(self._regex.pattern, re.IGNORECASE)
        return self._regex_any_case.sub(lambda m: _hidden(forms[m.group().lower()], hide), text)

    def _rebuild(self) -> None:
        self._regex = re.compile(trie_pattern(self._forms))
        self._regex_any_case = None
        self._dirty = False
        self._memo.clear()


def _hidden(form: tuple[str, str], hide: Any) -> str:
    """The redacted value, tagged with how it was encoded: ``h:3f9a1c2e..0123(md5)`` tells
    a reviewer that the MD5 of that IMEI was written, without showing either."""
    value, kind = form
    out = str(hide(value))
    return f"{out}({kind})" if kind else out


def trie_pattern(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, factored as a trie (longest match first).

    A flat ``a|b|c…`` of a few hundred literals makes Python's engine try every branch
    at every position (~100 µs for a 100-character text); the trie tries one branch
    per character, so a text with no match is rejected almost at once: the
    Aho-Corasick idea, within what ``re`` can express.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Optional when a word ends here: greedy, so the longer word wins.
        return f"(?:{body})?" if ends else body

    return build(root) or "(?!)"
