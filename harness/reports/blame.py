"""SDK attribution for the report's tables (the digest's SDK rows, report.xlsx's sheets).

The scorer's own rule (:class:`harness.scoring.attribution.Attributor`: the hooked API's
own class is not the caller), so the report's tables and the verdicts' evidence never
disagree. Calls from code no SDK-table row names are shown by their package
(``unknown`` + prefix), so a developer still sees *which* code collected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.catalog import attribute
from harness.scoring.attribution import hooked_classes

_CACHE = 4096

Blame = tuple[str, "str | None"]


def catalog_attribute() -> Callable[..., Any]:
    """The SDK attribution function (a seam: tests swap it to pin golden files)."""
    return attribute


class SdkBlame:
    """``blame(stack, api) -> (sdk, kind)`` with bounded caches (stacks repeat a lot).

    Two caches: by the stack list's identity (a trace reader hands the same list to every
    call of one interned stack: the per-call cost is a dict lookup) and by its frames.
    """

    def __init__(self, app_package: str) -> None:
        self.app_package = app_package
        self._fn = catalog_attribute()
        self._classes = hooked_classes()
        # (id(stack), api) → (stack, blame): the stack is held so its id stays unique.
        self._by_id: dict[tuple[int, str | None], tuple[list[str], Blame]] = {}
        self._cache: dict[tuple[str | None, tuple[str, ...]], Blame] = {}
        self._frames: dict[tuple[str | None, tuple[str, ...]], str | None] = {}

    def frame(self, stack: list[str], api: str | None = None) -> str | None:
        """The deciding frame of ``stack`` (after :meth:`__call__` on the same call)."""
        return self._frames.get((self._classes.get(api or ""), tuple(stack)))

    def __call__(self, stack: list[str], api: str | None = None) -> Blame:
        fast = self._by_id.get((id(stack), api))
        if fast is not None and fast[0] is stack:
            return fast[1]
        hooked = self._classes.get(api or "")
        key = (hooked, tuple(stack))
        hit = self._cache.get(key)
        if hit is None:
            found = self._fn(stack, self.app_package, hooked_class=hooked)
            sdk = str(getattr(found, "sdk", "unknown"))
            kind = getattr(found, "kind", None)
            prefix = getattr(found, "prefix", None)
            if sdk == "unknown" and prefix:
                sdk = str(prefix)
            hit = (sdk, None if kind is None else str(kind))
            if len(self._cache) >= _CACHE:
                # all three together: a fast hit must still find its frame
                self._cache.clear()
                self._frames.clear()
                self._by_id.clear()
            self._cache[key] = hit
            frame = getattr(found, "frame", None)
            self._frames[key] = None if frame is None else str(frame)
        if len(self._by_id) >= _CACHE:
            self._by_id.clear()
        self._by_id[(id(stack), api)] = (stack, hit)
        return hit


__all__ = ["SdkBlame", "catalog_attribute"]
