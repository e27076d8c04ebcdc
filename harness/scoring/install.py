"""Which user actions ask for a package install (bundled-install rule, issue 9 item 8).

A pure function over the markers, so that the timeline (and any other reader) judges
taps the same way:

* only the tapped view's **own** words count: its text, and the *name* of its resource
  id — ``com.example.updater:id/btn_agree`` names the view ``btn_agree``; its package
  part ``com.example.updater`` says where the view lives, not what it does, so it must
  not excuse a silent install;
* the consent dialog's buttons never ask for one: agreeing to (or refusing) a privacy
  policy is not asking for another app. They are recognised by the host's ``why`` of
  the tap (``agree`` / ``refuse``), by a ``step`` marker of a consent step, by an agent
  click whose sequence number a consent decision carries (the runner copies it), or by
  an agent click with the same text as a consent tap of the host moments before;
* ``detail.asks_install`` (true / false), when a recorder sets it, decides outright.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from harness.model.enums import MarkerKind
from harness.model.trace import Marker

#: Words in a tapped view's own text / id name that mean "install this for me".
INSTALL_WORDS = re.compile(r"install|download|update|upgrade|安装|下载|更新|升级", re.I)
#: Markers that are user actions (a host tap or step, an agent-seen click).
USER_ACTIONS = frozenset({MarkerKind.HOST_ACTION, MarkerKind.VIEW_CLICKED, MarkerKind.STEP})
#: Host taps / steps on the consent dialog (``why`` of a tap, ``step`` of a step marker).
CONSENT_TAPS = frozenset({"agree", "refuse", "wait_for_consent"})
_DECISIONS = frozenset(
    {MarkerKind.CONSENT_GRANTED, MarkerKind.CONSENT_REFUSED, MarkerKind.CONSENT_WITHDRAWN}
)
#: How far around a host consent tap an agent click with its text is the same click (ms).
_SAME_CLICK_MS = (-500.0, 2000.0)
#: Detail fields that carry a view's resource id / id.
_ID_FIELDS = ("resource_id", "rid", "id")


def id_name(resource_id: object) -> str | None:
    """The view's own name in a resource id: ``pkg:id/name`` → ``name``."""
    if not isinstance(resource_id, str):
        return None
    return resource_id.rpartition(":")[2].rpartition("/")[2] or None


def own_words(detail: Mapping[str, Any]) -> list[str]:
    """What a user action says about the view itself: its text and its id names."""
    words = [detail["text"]] if isinstance(detail.get("text"), str) else []
    for field in _ID_FIELDS:
        name = id_name(detail.get(field))
        if name is not None:
            words.append(name)
    return words


def asks_install(detail: Mapping[str, Any]) -> bool:
    """Does one user action (a marker's detail) ask for an install? (module doc)."""
    flag = detail.get("asks_install")
    if isinstance(flag, bool):
        return flag
    if detail.get("why") in CONSENT_TAPS or detail.get("step") in CONSENT_TAPS:
        return False
    return any(INSTALL_WORDS.search(word) for word in own_words(detail))


def install_action_times(markers: Iterable[Marker]) -> list[float]:
    """Sorted times of the user actions asking for an install, consent buttons excluded."""
    markers = list(markers)
    decided_seqs = {
        m.seq
        for m in markers
        if m.marker in _DECISIONS and m.source == "agent" and m.seq is not None
    }
    consent_taps = [
        (m.ts, m.detail.get("text"))
        for m in markers
        if m.marker is MarkerKind.HOST_ACTION and m.detail.get("why") in CONSENT_TAPS
    ]
    times = []
    for marker in markers:
        if marker.marker not in USER_ACTIONS or not asks_install(marker.detail):
            continue
        if marker.detail.get("asks_install") is not True and _consent_click(
            marker, decided_seqs, consent_taps
        ):
            continue
        times.append(marker.ts)
    return sorted(times)


def _consent_click(
    marker: Marker, decided_seqs: set[int], consent_taps: list[tuple[float, Any]]
) -> bool:
    if marker.marker is not MarkerKind.VIEW_CLICKED:
        return False
    if marker.seq is not None and marker.seq in decided_seqs:
        return True
    text = marker.detail.get("text")
    low, high = _SAME_CLICK_MS
    return isinstance(text, str) and any(
        tapped == text and low <= marker.ts - ts <= high for ts, tapped in consent_taps
    )
