"""Node matchers and the default consent-dialog matchers (Chinese and English)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from harness.model.trace import ConsentPatterns
from harness.ui.tree import UiNode

Field = Literal["text", "content_desc", "resource_id"]

#: Texts that identify a privacy-consent dialog (searched anywhere in a label).
DEFAULT_DIALOG = (
    "隐私政策|隐私协议|用户协议|个人信息保护|Privacy Policy|Privacy Notice|User Agreement"
)
#: Labels of the agree button (whole label).
DEFAULT_AGREE = "^(同意|同意并继续|我同意|接受|Agree|I Agree|Accept|Accept All|OK)$"
#: Labels of the refuse button (whole label).
DEFAULT_REFUSE = (
    "^(不同意|暂不同意|拒绝|暂不使用|不同意并退出|不同意，退出|退出|退出应用|仅浏览|以后再说|取消"
    "|Disagree|Decline|Reject|Reject All|No,? thanks|Not now|Cancel|Exit|Quit)$"
)


def _normalise(s: str) -> str:
    return " ".join(s.split())


@dataclass(frozen=True)
class TextMatcher:
    """A regular expression searched in a node's text, content-desc and/or resource-id.

    Labels are matched with runs of whitespace collapsed, and once more with all
    whitespace removed (``同 意`` is ``同意``). Case is ignored unless ``flags`` says
    otherwise.
    """

    pattern: re.Pattern[str]
    fields: tuple[Field, ...] = ("text", "content_desc")

    @classmethod
    def regex(
        cls,
        pattern: str,
        fields: Sequence[Field] = ("text", "content_desc"),
        flags: int = re.IGNORECASE,
    ) -> TextMatcher:
        """Compile ``pattern``; raise ``re.error`` when it is not a regular expression."""
        return cls(re.compile(pattern, flags), tuple(fields))

    @classmethod
    def exact(cls, text: str, fields: Sequence[Field] = ("text", "content_desc")) -> TextMatcher:
        """The whole label equals ``text`` (after trimming; case ignored)."""
        return cls.regex("^" + re.escape(_normalise(text)) + "$", fields)

    @classmethod
    def resource_id(cls, rid: str) -> TextMatcher:
        """``btn_agree`` matches ``btn_agree`` and ``<any package>:id/btn_agree``."""
        tail = rid.split(":id/", 1)[-1] if ":id/" in rid else rid
        full = "^" + re.escape(rid) + "$"
        short = "(^|:id/)" + re.escape(tail) + "$"
        return cls.regex(f"{full}|{short}", ("resource_id",), flags=0)

    def matches(self, node: UiNode) -> bool:
        for name in self.fields:
            value = getattr(node, name)
            if not value:
                continue
            norm = _normalise(value)
            if self.pattern.search(norm):
                return True
            squeezed = norm.replace(" ", "")
            if squeezed != norm and self.pattern.search(squeezed):
                return True
        return False


@dataclass(frozen=True)
class ConsentMatchers:
    """How to recognise the consent dialog and its two buttons."""

    dialog: TextMatcher
    agree: TextMatcher
    refuse: TextMatcher

    def patterns(self) -> ConsentPatterns:
        """The three patterns as a trace header records them (the agent's consent moments
        are derived from them afterwards: harness.scoring.consent)."""
        return ConsentPatterns(dialog=self.dialog.pattern.pattern,
                               agree=self.agree.pattern.pattern,
                               refuse=self.refuse.pattern.pattern)

    def with_overrides(
        self, *, dialog: str | None = None, agree: str | None = None, refuse: str | None = None
    ) -> ConsentMatchers:
        """Replace some patterns (regular expressions); ``None`` keeps the default."""
        out = self
        if dialog is not None:
            out = replace(out, dialog=TextMatcher.regex(dialog))
        if agree is not None:
            out = replace(out, agree=TextMatcher.regex(agree))
        if refuse is not None:
            out = replace(out, refuse=TextMatcher.regex(refuse))
        return out


DEFAULT_CONSENT_MATCHERS = ConsentMatchers(
    dialog=TextMatcher.regex(DEFAULT_DIALOG),
    agree=TextMatcher.regex(DEFAULT_AGREE),
    refuse=TextMatcher.regex(DEFAULT_REFUSE),
)
