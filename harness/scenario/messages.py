"""Pydantic validation errors → one plain sentence that says what is accepted."""

from __future__ import annotations

import difflib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

Loc = tuple["str | int", ...]

_WHAT = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "a string",
    "list": "a list",
    "tuple": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "model_attributes": "a mapping",
    "enum": "one of the listed values",
}


def describe(value: Any) -> str:
    """A short, quoted rendering of a user value for a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def error_loc(err: ErrorDetails) -> Loc:
    """The error's location, extended by the field a ``field_error`` names."""
    loc: Loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    if err["type"] == "field_error" and "field" in ctx:
        loc = loc + (str(ctx["field"]),)
    return loc


def message(err: ErrorDetails, model: type[BaseModel]) -> str:
    """A sentence for one error of ``model.model_validate``."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    loc = tuple(err["loc"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = fields_at(model, loc[:-1])
        accepted = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown field {str(loc[-1])!r}{hint}{accepted}"
    if kind in ("enum", "literal_error"):
        return f"{describe(value)} is not accepted; expected {ctx.get('expected', '')}"
    if kind in ("too_short", "too_long") and isinstance(value, list) and len(loc) >= 1:
        return err["msg"].replace("List", "the list")
    if kind.endswith("_type") or kind.endswith("_parsing") or kind == "int_from_float":
        base = kind.rsplit("_", 1)[0] if not kind.startswith("int_from") else "int"
        what = _WHAT.get(base)
        if what is not None:
            return f"expected {what}, got {describe(value)}"
    text = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        text = text.removeprefix(prefix)
    if text.startswith("Input should be "):
        text = "must be " + text.removeprefix("Input should be ")
    return text


def fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` under ``model`` (empty if none)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = get_args(current)
            current = args[0] if args else None
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return []
            current = info.annotation
            continue
        if get_origin(current) is dict:
            current = get_args(current)[1]
            continue
        return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Drop ``Optional``/``Annotated`` layers; keep the first model of a union."""
    while True:
        origin = get_origin(tp)
        if origin is Union or origin is types.UnionType:
            members = [a for a in get_args(tp) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            tp = models[0] if models else members[0]
            continue
        if origin is not None and hasattr(tp, "__metadata__"):
            tp = get_args(tp)[0]
            continue
        return tp
