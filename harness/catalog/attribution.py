"""Which SDK made a call: the first stack frame outside the framework, by package prefix.

Runs on every event while scoring, so results are cached per frame string and prefix
lookups walk the frame's package components instead of scanning the table.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.catalog.models import CLASS_NAME_RE
from harness.errors import CatalogError

SdkKind = Literal[
    "analytics", "push", "ads", "maps", "crash", "payment", "social", "consent", "other"
]
#: Kinds the table may use, plus the three attribute() reports on its own.
SDK_KINDS: frozenset[str] = frozenset(get_args(SdkKind))
APP, UNKNOWN, FRAMEWORK = "app", "unknown", "framework"

#: Frames of these packages belong to the platform, never to an SDK. Google Play services
#: (com.google.android.gms.) is deliberately absent: it ships inside the app like any SDK.
FRAMEWORK_PREFIXES: tuple[str, ...] = (
    "android.",
    "androidx.",
    "java.",
    "javax.",
    "kotlin.",
    "kotlinx.",
    "dalvik.",
    "com.android.",
    "libcore.",
    "sun.",
    "jdk.",
    "org.apache.harmony.",
    "org.json.",
    "org.xml.",
    "org.w3c.",
)

SDK_TABLE_FILE = "sdks.json"


class SdkInfo(BaseModel):
    """One row of ``sdks.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prefix: str = Field(description="package prefix ending in a dot, e.g. com.umeng.")
    name: str = Field(min_length=1)
    kind: SdkKind

    @field_validator("prefix")
    @classmethod
    def _prefix_shape(cls, value: str) -> str:
        if not value.endswith(".") or not CLASS_NAME_RE.fullmatch(value[:-1] + ".x"):
            raise ValueError(f"{value!r} is not a package prefix like com.vendor.sdk.")
        return value


class _SdkTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    format: Literal[1]
    source: str = Field(alias="_source", min_length=1)
    sdks: tuple[SdkInfo, ...]


class Attribution(BaseModel):
    """The SDK a call is blamed on, and the frame that decided it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sdk: str = Field(description="SDK name, or 'app', 'unknown', 'framework'")
    kind: str = Field(description="an SDK kind, or 'app', 'unknown', 'framework'")
    prefix: str | None = Field(
        None, description="matched prefix; for 'unknown' the frame's package"
    )
    frame: str | None = Field(None, description="the deciding stack frame, as given")


def load_sdk_table(path: str | Path | None = None) -> tuple[SdkInfo, ...]:
    """Read ``sdks.json`` (the shipped one by default); errors name the row and field."""
    if path is None:
        resource = resources.files("harness.catalog").joinpath(SDK_TABLE_FILE)
        raw, where = resource.read_bytes(), f"harness/catalog/{SDK_TABLE_FILE}"
    else:
        where = str(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CatalogError(
                f"cannot read the SDK table: {exc.strerror or exc}", path=where
            ) from exc
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"invalid JSON: {exc}", path=where) from exc
    try:
        table = _SdkTable.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise CatalogError(
            first["msg"].removeprefix("Value error, "), path=where, field=loc
        ) from exc
    seen: set[str] = set()
    for index, row in enumerate(table.sdks):
        if row.prefix in seen:
            raise CatalogError(
                f"prefix {row.prefix!r} is listed twice", path=where, field=f"sdks.{index}.prefix"
            )
        seen.add(row.prefix)
    return table.sdks


def frame_class(frame: str) -> str:
    """``com.a.B$1.run(B.java:3)`` → ``com.a.B$1`` (also accepts ``\\tat …`` lines)."""
    text = frame.strip()
    if text.startswith("at "):
        text = text[3:].lstrip()
    paren = text.find("(")
    if paren >= 0:
        text = text[:paren]
    dot = text.rfind(".")
    return text[:dot] if dot > 0 else text


class Attributor:
    """Attribution for one app package over one SDK table, memoised per frame."""

    #: Past this many distinct frames the memo starts over (bounded memory on huge traces).
    MEMO_LIMIT = 200_000

    def __init__(self, sdks: tuple[SdkInfo, ...], app_package: str | None = None) -> None:
        self._prefixes: dict[str, SdkInfo | None] = {row.prefix: row for row in sdks}
        self._app_prefix = f"{app_package}." if app_package else None
        if self._app_prefix is not None:
            # The app is one more prefix: a longer SDK prefix inside it still wins.
            self._prefixes.setdefault(self._app_prefix, None)
        self._memo: dict[str, Attribution | None] = {}

    def __call__(self, stack: list[str], hooked_class: str | None = None) -> Attribution:
        memo = self._memo
        for frame in stack:
            known = memo.get(frame, _MISSING)
            if known is _MISSING:
                known = self._classify(frame)
                if len(memo) >= self.MEMO_LIMIT:
                    memo.clear()
                memo[frame] = known
            if known is None:
                continue
            assert isinstance(known, Attribution)
            # The hooked method's own frame sits on top when the hook is on an SDK class
            # (e.g. AdvertisingIdClient): blame its caller, not the hooked library.
            if hooked_class is not None and frame_class(frame) == hooked_class:
                continue
            return known
        if stack:
            return Attribution(sdk=FRAMEWORK, kind=FRAMEWORK, prefix=None, frame=stack[0])
        return Attribution(sdk=UNKNOWN, kind=UNKNOWN, prefix=None, frame=None)

    def _classify(self, frame: str) -> Attribution | None:
        """None for a framework frame, else the frame's attribution."""
        cls = frame_class(frame)
        if not cls or cls.startswith(FRAMEWORK_PREFIXES):
            return None
        # Walk com.a.b.C → "com.a.b.C.", "com.a.b.", "com.a.", "com.": the first hit is
        # the longest prefix in the table.
        probe = cls + "."
        while probe:
            if probe in self._prefixes:
                row = self._prefixes[probe]
                if row is None:
                    return Attribution(sdk=APP, kind=APP, prefix=probe, frame=frame)
                return Attribution(sdk=row.name, kind=row.kind, prefix=row.prefix, frame=frame)
            cut = probe.rfind(".", 0, len(probe) - 1)
            probe = probe[: cut + 1] if cut >= 0 else ""
        package = cls.rpartition(".")[0] or cls
        return Attribution(sdk=UNKNOWN, kind=UNKNOWN, prefix=package, frame=frame)


_MISSING = object()


@functools.lru_cache(maxsize=1)
def _shipped_table() -> tuple[SdkInfo, ...]:
    return load_sdk_table()


@functools.lru_cache(maxsize=64)
def attributor_for(app_package: str | None) -> Attributor:
    """The shared, memoised attributor for an app over the shipped SDK table."""
    return Attributor(_shipped_table(), app_package)


def attribute(
    stack: list[str], app_package: str | None = None, *, hooked_class: str | None = None
) -> Attribution:
    """Blame a call on an SDK, the app, ``unknown`` code or the ``framework``.

    ``stack`` is innermost first (``com.x.Sdk.m(Sdk.java:4)``). Framework frames are
    skipped; the first other frame is matched against ``sdks.json`` (longest prefix) and
    the app's own package. A stack of framework frames only is ``framework``; an empty
    stack is ``unknown``. ``hooked_class`` skips the hooked method's own frame when the
    hook is on a non-framework class.
    """
    return attributor_for(app_package)(stack, hooked_class)
