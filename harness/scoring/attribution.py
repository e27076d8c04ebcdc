"""Glue between scoring and :mod:`harness.catalog`: SDK attribution, failed hooks.

The catalog's attributor memoises per frame; this adds a memo per *stack object*: the
trace reader hands out one shared list for calls with the same stack (record), so a busy
SDK code path is attributed once, not once per call.
"""

from __future__ import annotations

import functools

from harness.catalog import attribute, load_catalog
from harness.errors import CatalogError
from harness.model.enums import Category

#: (sdk name, sdk kind, deciding frame)
Blame = tuple[str, str | None, str | None]

_MEMO_LIMIT = 4096


@functools.lru_cache(maxsize=1)
def hooked_classes() -> dict[str, str]:
    """Catalog id → the class it hooks (that class is the callee, never the caller)."""
    try:
        return {entry.id: entry.class_name for entry in load_catalog().entries}
    except CatalogError:
        return {}


@functools.lru_cache(maxsize=1)
def observed_hooks() -> frozenset[str]:
    """Catalog ids flagged ``observed``: recorded, never a rule failure on their own."""
    try:
        return frozenset(load_catalog().observed_ids())
    except CatalogError:
        return frozenset()


def hook_category(hook_id: str) -> Category | None:
    """The category of a catalog entry, or None when this catalog does not know it."""
    try:
        entry = load_catalog().get(hook_id)
    except CatalogError:
        return None
    return None if entry is None else entry.category


class Attributor:
    """Blame calls of one app's trace on SDKs (DESIGN §4.5 "SDK attribution")."""

    def __init__(self, app_package: str | None) -> None:
        self._app = app_package
        self._classes = hooked_classes()
        # id(stack) → (stack, api, blame); the stack is kept alive so its id stays unique.
        self._memo: dict[tuple[int, str], tuple[list[str], Blame]] = {}

    def attribute(self, stack: list[str], api: str) -> Blame:
        key = (id(stack), api)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is stack:
            return hit[1]
        found = attribute(stack, self._app, hooked_class=self._classes.get(api))
        blame: Blame = (found.sdk, found.kind, found.frame)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = (stack, blame)
        return blame
