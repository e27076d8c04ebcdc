"""Device serials out of every report file unless the user asked to reveal values.

An adb serial of a USB phone is its hardware serial number (``ro.serialno``, what
``Build.getSerial()`` returns): an identifier like an IMEI. Reports (summary.json,
verdicts.json, junit.xml, report.html, report.xlsx) name devices by the same salted hash
the traces use for identifier values (:class:`harness.tracefile.Redactor`), so two
scenarios on one device still visibly share it, and the serial is replaced wherever it
appears inside a longer text too (``device lost: R58M… vanished``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from harness.model import RunSummary
from harness.tracefile import Redactor, load_salt

T = TypeVar("T")
#: Shorter "serials" are not worth a search (and would match everywhere).
_MIN_LEN = 4


class Scrubber:
    """Replaces the known serials in any string; identity when there are none."""

    def __init__(self, serials: Iterable[str], salt: bytes | None = None) -> None:
        found = sorted({s for s in serials if s and len(s) >= _MIN_LEN}, key=len, reverse=True)
        self.serials = found
        self._regex: re.Pattern[str] | None = None
        self._names: dict[str, str] = {}
        if found:
            redactor = Redactor(salt if salt is not None else load_salt())
            self._names = {s: redactor.value(s) for s in found}
            self._regex = re.compile("|".join(re.escape(s) for s in found))

    @property
    def active(self) -> bool:
        return self._regex is not None

    def __call__(self, text: str) -> str:
        if self._regex is None or not text:
            return text
        return self._regex.sub(lambda m: self._names[m.group(0)], text)

    def deep(self, value: T) -> T:
        """``value`` (str, list, dict, pydantic model…) with every string scrubbed."""
        if self._regex is None:
            return value
        return _walk(value, self)  # type: ignore[no-any-return]


def _walk(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, BaseModel):
        data = _walk(value.model_dump(mode="json"), fn)
        return type(value).model_validate(data)
    if isinstance(value, dict):
        return {_walk(k, fn): _walk(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    if isinstance(value, tuple):
        return tuple(_walk(v, fn) for v in value)
    return value


def serials_of(summary: RunSummary, headers: Iterable[Any]) -> list[str]:
    """The serials a run names: each result's ``device`` and each trace header's
    ``device.serial``."""
    out = [s.device for s in summary.scenarios if s.device]
    for header in headers:
        serial = getattr(header, "device", {}).get("serial") if header is not None else None
        if serial:
            out.append(str(serial))
    return out
