"""The documented exclusion list: sensitive-looking APIs the catalog deliberately does not hook.

``harness/catalog/exclusions.json`` names, per ``class`` + ``method`` (optionally one
overload, ``params``), why the catalog leaves it out. Coverage measurements (the androguard
oracle, the peers' privacy hooks, hook recall on the simulator) count an API as accounted
for when it is either hooked or listed here with a reason — never silently missing.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.catalog.models import CLASS_NAME_RE, METHOD_RE, is_java_type
from harness.errors import CatalogError

EXCLUSIONS_PACKAGE = "harness.catalog"
EXCLUSIONS_FILE = "exclusions.json"
SUPPORTED_FORMAT = 1

#: Why an API is left out (the ``kind`` field); the reason text says the specifics.
ExclusionKind = Literal[
    "not_collection",  # reads nothing personal and starts no collection
    "not_platform",  # a library or app class, not the Android framework
    "implementation",  # private code behind a public method the catalog hooks
    "no_identifier",  # state or inventory that identifies neither the user nor the device
    "unhookable",  # a field, or a hidden method whose presence varies by release
    "hot_path",  # generic code every app runs constantly: the per-call cost buys no evidence
    "decided_elsewhere",  # its meaning is decided by another call, which is hooked
    "pending_surface",  # worth hooking; waits for the simulator's API surface to have it
]


class Exclusion(BaseModel):
    """One API the catalog does not hook, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    class_name: str = Field(alias="class")
    method: str = Field(description="method name, $init for constructors, #FIELD for a field")
    params: tuple[str, ...] | None = Field(
        None, description="one overload's parameter types; absent = every overload"
    )
    kind: ExclusionKind
    reason: str = Field(min_length=12, description="why the catalog leaves it out")

    @field_validator("class_name")
    @classmethod
    def _class_shape(cls, value: str) -> str:
        if not CLASS_NAME_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not a fully qualified Java class name")
        return value

    @field_validator("method")
    @classmethod
    def _method_shape(cls, value: str) -> str:
        name = value.removeprefix("#")
        if not METHOD_RE.fullmatch(name):
            raise ValueError(f"{value!r} is not a Java method name, $init or #FIELD")
        return value

    @field_validator("params")
    @classmethod
    def _params_shape(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for name in value or ():
            if name == "void" or not is_java_type(name):
                raise ValueError(f"{name!r} is not a Java parameter type")
        return value

    def covers(self, class_name: str, method: str, params: tuple[str, ...] | None = None) -> bool:
        """Does this exclusion account for that method (and overload, when one is given)?"""
        if (self.class_name, self.method) != (class_name, method):
            return False
        return self.params is None or params is None or self.params == params


class Exclusions(BaseModel):
    """The whole list; build it with :func:`load_exclusions`."""

    model_config = ConfigDict(frozen=True)

    entries: tuple[Exclusion, ...]

    def find(
        self, class_name: str, method: str, params: tuple[str, ...] | None = None
    ) -> Exclusion | None:
        return next((x for x in self.entries if x.covers(class_name, method, params)), None)


def load_exclusions(path: str | Path | None = None) -> Exclusions:
    """The exclusion list (the shipped one when ``path`` is None); errors name file and entry."""
    if path is None:
        return _shipped()
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(
            f"cannot read the exclusions: {exc.strerror or exc}", path=str(path)
        ) from exc
    return parse_exclusions(raw, str(path))


@functools.lru_cache(maxsize=1)
def _shipped() -> Exclusions:
    resource = resources.files(EXCLUSIONS_PACKAGE).joinpath(EXCLUSIONS_FILE)
    return parse_exclusions(resource.read_bytes(), f"{EXCLUSIONS_PACKAGE}/{EXCLUSIONS_FILE}")


def parse_exclusions(raw: bytes, where: str = "<exclusions>") -> Exclusions:
    try:
        text = raw.decode("utf-8")
        doc: Any = json.loads(text)
    except UnicodeDecodeError as exc:
        raise CatalogError("the exclusions file is not UTF-8", path=where) from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(f"invalid JSON: {exc.msg}", path=where, line=exc.lineno) from exc
    if not isinstance(doc, dict) or doc.get("format") != SUPPORTED_FORMAT:
        raise CatalogError(
            f'expected an object with "format": {SUPPORTED_FORMAT}', path=where, field="format"
        )
    unknown = sorted(set(doc) - {"format", "_doc", "exclusions"})
    if unknown:
        raise CatalogError(f"unknown top-level key(s) {unknown}", path=where, field=unknown[0])
    items = doc.get("exclusions")
    if not isinstance(items, list):
        raise CatalogError("'exclusions' must be a list", path=where, field="exclusions")
    entries: list[Exclusion] = []
    seen: dict[tuple[str, str, tuple[str, ...] | None], int] = {}
    lines = text.split("\n")
    for index, item in enumerate(items):
        line = _line_of(lines, item)
        try:
            entry = Exclusion.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(part) for part in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise CatalogError(
                f"exclusion {index}: {message}", path=where, line=line, field=loc or None
            ) from exc
        key = (entry.class_name, entry.method, entry.params)
        if key in seen:
            raise CatalogError(
                f"exclusion {index}: {entry.class_name}.{entry.method} is listed twice "
                f"(first as exclusion {seen[key]})",
                path=where,
                line=line,
                field="method",
            )
        seen[key] = index
        entries.append(entry)
    return Exclusions(entries=tuple(entries))


def _line_of(lines: list[str], item: Any) -> int | None:
    """Line of an exclusion for error messages: the file keeps one exclusion per line."""
    if not isinstance(item, dict):
        return None
    cls, method = json.dumps(item.get("class")), json.dumps(item.get("method"))
    for n, line in enumerate(lines, start=1):
        if cls in line and method in line:
            return n
    return None
