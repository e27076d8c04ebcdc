"""Typed form of ``hooks/catalog.json``: one :class:`CatalogEntry` per hooked method.

The shapes here are the contract of docs/internals.md ("Catalog"); the loader turns
validation failures into :class:`harness.errors.CatalogError`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from harness.model.enums import Category

#: Articles of the 2016 Provisions a call can count under.
ARTICLES: frozenset[str] = frozenset({"7.2", "7.4"})

PRIMITIVES: frozenset[str] = frozenset(
    {"boolean", "byte", "char", "short", "int", "long", "float", "double"}
)

_IDENT = r"[A-Za-z_$][A-Za-z0-9_$]*"
# Classes must be package-qualified: a bare "Foo" is almost always a typo for a real type.
CLASS_NAME_RE = re.compile(rf"{_IDENT}(?:\.{_IDENT})+")
METHOD_RE = re.compile(r"\$init|[A-Za-z_][A-Za-z0-9_$]*")
ENTRY_ID_RE = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")


def is_java_type(name: str) -> bool:
    """True for ``int``, ``java.lang.String``, ``byte[]``, ``a.B$C[][]`` (catalog spelling)."""
    base = name
    while base.endswith("[]"):
        base = base[:-2]
    return base in PRIMITIVES or CLASS_NAME_RE.fullmatch(base) is not None


def uri_authority(value: str) -> str | None:
    """``content://com.android.contacts/data`` → ``com.android.contacts``; None if no ``://``.

    Mirrors the agent's parser (hooks/agent.js) so both sides agree on what matches.
    """
    start = value.find("://")
    if start < 0:
        return None
    rest = value[start + 3 :]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    return rest[:end].rpartition("@")[2]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Matcher(_Frozen):
    """Condition on ``String(arg)`` of one argument; any listed value may hold."""

    arg: int = Field(ge=0, description="index of the argument the condition reads")
    authority: tuple[str, ...] | None = Field(None, description="content URI authority in list")
    prefix: tuple[str, ...] | None = None
    suffix: tuple[str, ...] | None = None
    equals: tuple[str, ...] | None = None
    contains: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _one_condition(self) -> Matcher:
        conditions = self.conditions()
        if not conditions:
            raise ValueError(
                "a matcher needs at least one of authority, prefix, suffix, equals, contains"
            )
        for key, values in conditions.items():
            if not values or any(not v for v in values):
                raise ValueError(f"{key} must be a non-empty list of non-empty strings")
        return self

    def conditions(self) -> dict[str, tuple[str, ...]]:
        keys = ("authority", "prefix", "suffix", "equals", "contains")
        return {k: v for k in keys if (v := getattr(self, k)) is not None}

    def matches(self, value: str | None) -> bool:
        """The agent's semantics, in Python (reference for tests and for the simulator)."""
        if value is None:
            return False
        if self.authority is not None and uri_authority(value) in self.authority:
            return True
        if self.prefix is not None and value.startswith(self.prefix):
            return True
        if self.suffix is not None and value.endswith(self.suffix):
            return True
        if self.equals is not None and value in self.equals:
            return True
        return self.contains is not None and any(c in value for c in self.contains)


class CatalogEntry(_Frozen):
    """One hooked Java method (all or some of its overloads) and what a call of it means."""

    id: str = Field(description="stable id, e.g. telephony.imei")
    class_name: str = Field(alias="class", description="fully qualified class, nested with $")
    method: str = Field(description="method name, $init for constructors")
    overloads: tuple[tuple[str, ...], ...] | None = Field(
        description="parameter types of each hooked overload; null hooks every overload"
    )
    returns: str = Field(description="Java return type, void for constructors")
    static: bool = False
    category: Category
    data: str = Field(description="what the call reveals: imei, android_id, location, …")
    permission: str | None = Field(None, description="Android permission guarding the call")
    articles: tuple[str, ...]
    match: Matcher | None = None
    min_sdk: int | None = Field(None, ge=1)
    max_sdk: int | None = Field(None, ge=1)
    observed: bool = Field(
        False,
        description=(
            "sensitive but not collection (removeUpdates, getProviders, a SIM count): "
            "recorded in the trace and the report, never evidence against the app by itself"
        ),
    )
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ENTRY_ID_RE.fullmatch(value):
            raise ValueError("ids are dotted lower-case words, e.g. telephony.imei")
        return value

    @field_validator("class_name")
    @classmethod
    def _class_shape(cls, value: str) -> str:
        if not CLASS_NAME_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not a fully qualified Java class name")
        return value

    @field_validator("method")
    @classmethod
    def _method_shape(cls, value: str) -> str:
        if not METHOD_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not a Java method name (or $init)")
        return value

    @field_validator("overloads")
    @classmethod
    def _overloads_shape(
        cls, value: tuple[tuple[str, ...], ...] | None
    ) -> tuple[tuple[str, ...], ...] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("list at least one overload, or null for every overload")
        if len(set(value)) != len(value):
            raise ValueError("an overload is listed twice")
        for params in value:
            for name in params:
                if name == "void" or not is_java_type(name):
                    raise ValueError(f"{name!r} is not a Java parameter type")
        return value

    @field_validator("returns")
    @classmethod
    def _returns_shape(cls, value: str) -> str:
        if value != "void" and not is_java_type(value):
            raise ValueError(f"{value!r} is not a Java return type")
        return value

    @field_validator("data")
    @classmethod
    def _data_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9_]+", value):
            raise ValueError("data is a lower-case word such as imei or location")
        return value

    @field_validator("permission")
    @classmethod
    def _permission_shape(cls, value: str | None) -> str | None:
        if value is not None and not CLASS_NAME_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not a permission name like android.permission.CAMERA")
        return value

    @field_validator("articles")
    @classmethod
    def _articles_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - ARTICLES)
        if unknown:
            raise ValueError(f"unknown article(s) {unknown}; use {sorted(ARTICLES)}")
        if not value:
            raise ValueError(f"list the article(s) the call counts under: {sorted(ARTICLES)}")
        if len(set(value)) != len(value):
            raise ValueError("an article is listed twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CatalogEntry:
        if self.method == "$init" and (self.static or self.returns != "void"):
            raise ValueError("a constructor ($init) is not static and returns void")
        if self.min_sdk is not None and self.max_sdk is not None and self.min_sdk > self.max_sdk:
            raise ValueError(f"min_sdk {self.min_sdk} is above max_sdk {self.max_sdk}")
        if self.match is not None:
            if self.overloads is None:
                raise ValueError("a matcher needs explicit overloads to check its argument index")
            short = [len(p) for p in self.overloads if self.match.arg >= len(p)]
            if short:
                raise ValueError(
                    f"match.arg {self.match.arg} is beyond an overload with "
                    f"{min(short)} parameter(s)"
                )
        return self

    def signatures(self) -> list[str]:
        """``Class.method(T1, T2)`` per overload (``(…)`` when every overload is hooked)."""
        base = f"{self.class_name}.{self.method}"
        if self.overloads is None:
            return [f"{base}(…)"]
        return [f"{base}({', '.join(params)})" for params in self.overloads]

    def as_json(self) -> dict[str, Any]:
        """The entry in catalog.json spelling (optional fields left out when unset)."""
        doc = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        doc["overloads"] = self.model_dump(mode="json")["overloads"]  # null is meaningful
        if not self.observed:
            del doc["observed"]  # the default, like the other optional fields
        return doc

    def agent_view(self) -> dict[str, Any]:
        """What the Frida agent needs to install and filter this hook (JSON-able)."""
        view: dict[str, Any] = {
            "id": self.id,
            "class": self.class_name,
            "method": self.method,
            "overloads": None if self.overloads is None else [list(p) for p in self.overloads],
            "match": None
            if self.match is None
            else self.match.model_dump(mode="json", exclude_none=True),
            "category": self.category.value,
        }
        # The agent can tell "absent on this API level" from "failed to install".
        if self.min_sdk is not None:
            view["min_sdk"] = self.min_sdk
        if self.max_sdk is not None:
            view["max_sdk"] = self.max_sdk
        return view


class Catalog(_Frozen):
    """The whole catalog; build it with :func:`harness.catalog.load_catalog`."""

    format: Literal[1]
    source: str | None = Field(None, alias="_source")
    entries: tuple[CatalogEntry, ...]
    hash: str = Field("", description="sha256 hex of the catalog file's bytes")

    _by_id: dict[str, CatalogEntry] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._by_id.update({e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> CatalogEntry | None:
        return self._by_id.get(entry_id)

    def is_observed(self, entry_id: str) -> bool:
        """True for an ``observed`` entry: its calls are recorded, never a rule failure.

        An id this catalog does not know is not observed: scoring must keep counting calls
        it cannot classify (never a wrong pass).
        """
        entry = self._by_id.get(entry_id)
        return entry is not None and entry.observed

    def observed_ids(self) -> frozenset[str]:
        """Ids of every ``observed`` entry (for a per-call set lookup in scoring)."""
        return frozenset(e.id for e in self.entries if e.observed)

    def by_category(self, category: Category) -> list[CatalogEntry]:
        return [e for e in self.entries if e.category is category]

    def categories(self) -> set[Category]:
        return {e.category for e in self.entries}

    def for_agent(self) -> list[dict[str, Any]]:
        """The hook list the agent receives in ``init(config)``, in catalog order."""
        return [e.agent_view() for e in self.entries]
