"""What the checklist rules share: marker order, decisions, dialogs, prompts, options."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from harness.errors import InputError
from harness.model.enums import Category, MarkerKind
from harness.model.trace import Marker, TraceHeader
from harness.scoring.rules import PERMISSION_CATEGORIES

#: A text this long (after normalising blanks) that two dialogs share makes them the
#: same dialog: the body or title of a consent dialog, not a button label like 同意.
SAME_DIALOG_TEXT = 8
_BLANKS = re.compile(r"\s+")
_PERMISSION = re.compile(r"(?:android\.permission\.)?([A-Z][A-Z0-9_]{2,})")
#: Words of a system permission prompt's question → the category it asks for, for host
#: prompts (read from the screen: texts, no permission names).
_PROMPT_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), topic)
    for pattern, topic in (
        (r"location|位置|定位", Category.LOCATION.value),
        (r"contacts|通讯录|联系人", Category.CONTACTS.value),
        (r"camera|take pictures|拍照|相机|摄像", Category.CAMERA.value),
        (r"record audio|microphone|录音|麦克风", Category.MICROPHONE.value),
        (r"phone calls|电话", Category.DEVICE_ID.value),
        (r"\bSMS\b|短信", Category.SMS.value),
        (r"call logs|通话记录", Category.CALL_LOG.value),
        (r"calendar|日历", Category.CALENDAR.value),
        (r"photos|media|files|照片|媒体|存储", Category.MEDIA.value),
        (r"notifications|通知", "POST_NOTIFICATIONS"),
    )
)
_QUESTION = re.compile(r"allow .* to |允许.*(?:访问|使用|获取|拍摄|录制|发送)", re.I)
_DECISIONS = (MarkerKind.CONSENT_GRANTED, MarkerKind.CONSENT_REFUSED, MarkerKind.CONSENT_WITHDRAWN)


def ordered(markers: Iterable[Marker]) -> list[Marker]:
    """Markers by time (host and agent markers arrive in different orders), stable."""
    return sorted(markers, key=lambda m: m.ts)


def counted_decisions(markers: Iterable[Marker]) -> set[int]:
    """``id()`` of the decision markers that count: the agent's of a kind if it has
    any, else the host's (the timeline's rule: never both for one click)."""
    by_kind: dict[MarkerKind, dict[str, list[Marker]]] = {
        kind: {"agent": [], "host": []} for kind in _DECISIONS
    }
    for marker in markers:
        if marker.marker in by_kind:
            by_kind[marker.marker][marker.source].append(marker)
    return {id(m) for sources in by_kind.values() for m in (sources["agent"] or sources["host"])}


def norm(text: str) -> str:
    return _BLANKS.sub(" ", text).strip()


def texts_of(detail: Mapping[str, Any], field: str = "texts") -> list[str]:
    value = detail.get(field)
    if isinstance(value, list):
        return [norm(t) for t in value if isinstance(t, str) and t.strip()]
    return []


def long_texts(texts: Iterable[str]) -> set[str]:
    return {t for t in texts if len(t) >= SAME_DIALOG_TEXT}


def same_dialog(dialog: set[str], texts: Iterable[str]) -> bool:
    """Whether a screen's ``texts`` show the dialog whose long texts are ``dialog``."""
    return bool(dialog) and not dialog.isdisjoint(texts)


def prompt_topics(marker: Marker) -> frozenset[str]:
    """What a ``permission_prompt`` asks for: categories (or permission names).

    The agent's markers name the permissions (``detail.permissions``); the host's carry
    the screen's texts, read for the system prompt's question. Empty: unknown.
    """
    topics: set[str] = set()
    perms = marker.detail.get("permissions")
    for item in perms if isinstance(perms, list) else [perms]:
        if not isinstance(item, str):
            continue
        for name in _PERMISSION.findall(item):
            if name.startswith("ANDROID") or name == "PERMISSION":
                continue
            category = PERMISSION_CATEGORIES.get(name)
            topics.add(category.value if category else name)
    if not topics:
        for text in texts_of(marker.detail):
            if _QUESTION.search(text):
                topics.update(topic for word, topic in _PROMPT_WORDS if word.search(text))
    return frozenset(topics)


def rule_options(header: TraceHeader, rule_id: str) -> dict[str, Any]:
    """The scenario's options for ``rule_id``: ``header.scenario.options[rule_id]`` (the
    scenario's ``rule_options:``, copied into the trace header by the runner)."""
    options = getattr(header.scenario, "options", None)
    if not isinstance(options, Mapping):
        return {}
    mine = options.get(rule_id)
    if mine is None:
        return {}
    if not isinstance(mine, Mapping):
        raise InputError("must be a mapping of option names to values", field=f"options.{rule_id}")
    return dict(mine)


def number(options: Mapping[str, Any], name: str, default: float, rule_id: str) -> float:
    """A positive, finite number option (a clear error names the field otherwise)."""
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"must be a number, not {value!r}", field=f"options.{rule_id}.{name}")
    if not math.isfinite(value) or value <= 0:
        raise InputError(
            f"must be a positive number, not {value!r}", field=f"options.{rule_id}.{name}"
        )
    return float(value)


def marker_key(marker: Marker) -> tuple[str, float, str, int | None]:
    """Identity of a marker across the engine's two reads of a trace file."""
    return (marker.marker.value, marker.ts, marker.source, marker.seq)


def step_name(marker: Marker) -> str | None:
    if marker.marker is not MarkerKind.STEP:
        return None
    name = marker.detail.get("step", marker.detail.get("name"))
    return name if isinstance(name, str) else None


def refusal_attempt_unrecorded(steps: Mapping[str, list[dict[str, Any]]]) -> str | None:
    """Why a refuse step ran without a recorded refusal (quoted), or None if none ran."""
    attempts = steps.get("refuse", [])
    if not attempts:
        return None
    said = [
        str(a.get("reason") or a.get("message"))
        for a in attempts
        if a.get("reason") or a.get("message")
    ]
    return (
        "a refuse step ran but no consent_refused marker was recorded (was the consent "
        "dialog found?)" + (f": {said[0]}" if said else "")
    )
