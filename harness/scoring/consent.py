"""Consent moments from a trace's observations — the one place they are derived.

A trace stores what was seen and done, as it was sent: the agent's UI markers
(``dialog_shown`` with the dialog's texts, ``view_clicked`` with the clicked view's text)
and the host's own markers (``consent_shown`` when the UI dump showed the dialog, and
``consent_granted`` / ``consent_refused`` / ``consent_withdrawn`` for its own taps). What
the *agent* saw of those moments is derived here, from its markers and the scenario's
consent matchers that the trace header carries (``consent_patterns``), by
:func:`with_consent_moments` — used by scoring (:func:`harness.scoring.timeline.build_timeline`,
the report digest) and by ``consent-harness trace`` for its live phase column. The
semantics of docs/scoring.md stay: per kind, the agent's moments if there are any, the
host's otherwise (the timeline chooses).

Derivation (docs/internals.md, "The consent moment"):

* **Shown (agent).** The first agent ``dialog_shown`` whose texts match the dialog
  pattern (placed after the host's first ``consent_shown`` if there is one). In a trace
  with no consent marker of the host's (a ``trace`` session, the user at the phone, or a
  scenario that never found the dialog): every such ``dialog_shown``.
* **Granted / refused (agent).** For each host decision: the first agent ``view_clicked``
  whose text matches that decision's pattern, at or after the host's tap (its
  ``detail.tapped_ts``, else the marker's time) less :data:`CLICK_SLACK_MS`. In a trace
  with no consent marker of the host's: a click matching agree or refuse while a consent
  dialog the agent saw is up (after its ``dialog_shown``, before the next decision).
* A derived marker has ``source: agent``, the observation's time and sequence number, and
  ``detail.from`` naming the observation; it is placed right after the marker it pairs
  with (the host's, else the observation), the order in which rules read markers.
* A trace whose header has no ``consent_patterns`` (format 2 and older, where the runner
  wrote the agent's moments itself) is returned as it is; so is any kind the trace already
  holds agent markers of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from harness.model.enums import MarkerKind
from harness.model.trace import ConsentPatterns, Marker

#: An agent click this long before the host's tap still belongs to it (clock skew, the
#: click being delivered before ``input tap`` returns).
CLICK_SLACK_MS = 1500.0

_HOST_DECISIONS = (MarkerKind.CONSENT_GRANTED, MarkerKind.CONSENT_REFUSED)
_CONSENT_KINDS = frozenset(
    {MarkerKind.CONSENT_SHOWN, MarkerKind.CONSENT_GRANTED, MarkerKind.CONSENT_REFUSED,
     MarkerKind.CONSENT_WITHDRAWN}
)


@dataclass(frozen=True)
class _Patterns:
    dialog: re.Pattern[str]
    agree: re.Pattern[str]
    refuse: re.Pattern[str]


def _compile(patterns: ConsentPatterns) -> _Patterns:
    # As the UI matchers compile them (harness.ui.matchers.TextMatcher.regex).
    return _Patterns(*(re.compile(p, re.IGNORECASE)
                       for p in (patterns.dialog, patterns.agree, patterns.refuse)))


def label_matches(pattern: re.Pattern[str], text: str) -> bool:
    """A label the agent reported, judged as the UI matchers judge a node's label
    (whitespace runs collapsed, and once more with all whitespace removed)."""
    norm = " ".join(text.split())
    return bool(pattern.search(norm) or pattern.search(norm.replace(" ", "")))


def _texts(marker: Marker) -> list[str]:
    texts = marker.detail.get("texts")
    return [t for t in texts if isinstance(t, str)] if isinstance(texts, list) else []


def _text(marker: Marker) -> str | None:
    text = marker.detail.get("text")
    return text if isinstance(text, str) else None


def with_consent_moments(
    markers: Iterable[Marker], patterns: ConsentPatterns | None
) -> list[Marker]:
    """``markers`` (trace order) with the agent's consent moments derived from them
    inserted (module doc). Pure: the same markers and patterns give the same list."""
    markers = list(markers)
    if patterns is None:
        return markers
    have_agent = {m.marker for m in markers if m.source == "agent" and m.marker in _CONSENT_KINDS}
    rx = _compile(patterns)
    after: dict[int, Marker] = {}  # index in markers → derived marker placed after it
    # No consent marker of the host's: nobody scripted the dialog (a ``trace`` session).
    manual = not any(m.source == "host" and m.marker in _CONSENT_KINDS for m in markers)
    clicks = [(i, m) for i, m in enumerate(markers)
              if m.source == "agent" and m.marker is MarkerKind.VIEW_CLICKED]
    dialogs = [(i, m) for i, m in enumerate(markers)
               if m.source == "agent" and m.marker is MarkerKind.DIALOG_SHOWN
               and any(label_matches(rx.dialog, t) for t in _texts(m))]

    def derived(kind: MarkerKind, seen: Marker, source_name: str) -> Marker:
        detail: dict[str, object] = {"from": source_name}
        if kind is MarkerKind.CONSENT_SHOWN:
            detail["texts"] = _texts(seen)[:30]
        else:
            detail["text"] = _text(seen)
        return Marker(marker=kind, ts=seen.ts, source="agent", seq=seen.seq, detail=detail)

    if MarkerKind.CONSENT_SHOWN not in have_agent and dialogs:
        host_shown = next((i for i, m in enumerate(markers) if m.source == "host"
                           and m.marker is MarkerKind.CONSENT_SHOWN), None)
        if manual:
            for i, m in dialogs:
                after[i] = derived(MarkerKind.CONSENT_SHOWN, m, "dialog_shown")
        else:
            first_i, first = dialogs[0]
            at = host_shown if host_shown is not None else first_i
            after[at] = derived(MarkerKind.CONSENT_SHOWN, first, "dialog_shown")

    if not manual:
        for index, decision in enumerate(markers):
            if decision.source != "host" or decision.marker not in _HOST_DECISIONS:
                continue
            if decision.marker in have_agent:
                continue
            wanted = rx.agree if decision.marker is MarkerKind.CONSENT_GRANTED else rx.refuse
            tapped = decision.detail.get("tapped_ts", decision.ts)
            since = (tapped if isinstance(tapped, (int, float)) else decision.ts) - CLICK_SLACK_MS
            for _, click in clicks:
                text = _text(click)
                if click.ts >= since and text is not None and label_matches(wanted, text):
                    after[index] = derived(decision.marker, click, "view_clicked")
                    break
    else:
        up = False
        dialog_at = {i for i, _ in dialogs}
        for i, m in enumerate(markers):
            if i in dialog_at:
                up = True
            elif up and m.source == "agent" and m.marker is MarkerKind.VIEW_CLICKED:
                text = _text(m) or ""
                for kind, pattern in ((MarkerKind.CONSENT_GRANTED, rx.agree),
                                      (MarkerKind.CONSENT_REFUSED, rx.refuse)):
                    if kind not in have_agent and label_matches(pattern, text):
                        after[i] = derived(kind, m, "view_clicked")
                        up = False
                        break
    if not after:
        return markers
    out: list[Marker] = []
    for i, marker in enumerate(markers):
        out.append(marker)
        extra = after.get(i)
        if extra is not None:
            out.append(extra)
    return out
