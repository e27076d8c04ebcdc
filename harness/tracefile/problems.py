"""How the trace reader words a bad line: the record kind, the field as a dotted path
(``stack.1``), what was expected and what was given — for pydantic's errors (markers,
issues, the header, the end) and msgspec's (calls) alike; and the refusal of NaN and
±Infinity, which JSON has not but lenient parsers accept."""

from __future__ import annotations

import math
import re
from typing import Any

import msgspec
from pydantic import ValidationError

from harness.errors import TraceError
from harness.model.enums import Category
from harness.model.trace import CallEvent, Marker, TraceEnd, TraceHeader, TraceIssue

BodyRecord = CallEvent | Marker | TraceIssue | TraceEnd


_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<loc>[^`]*)`)?$", re.S)
_EXPECTED = re.compile(r"^Expected `(?P<types>[^`]+)`")
_TYPE_WORDS = {"float": "a number", "int": "a whole number", "str": "a string",
               "bool": "true or false", "array": "a list", "object": "an object",
               "null": "null"}
_NAMED = re.compile(r"(?:missing required|unknown) field `(?P<name>[^`]+)`")


def call_error(
    exc: msgspec.ValidationError, data: dict[str, Any], path: str, line: int
) -> TraceError:
    """msgspec's complaint about a call line, in the form of the other records' errors:
    the field as a dotted path (``stack.1``), what was expected, what was given."""
    match = _AT.match(str(exc))
    assert match is not None  # the pattern matches any text
    message, loc = match["msg"], match["loc"] or ""
    parts = [p for p in re.split(r"\.|\[|\]", loc) if p]
    named = _NAMED.search(message)
    if named is not None:
        parts.append(named["name"])
    field = ".".join(parts) or None
    if "missing required field" in message:
        text = "Field required"
    elif "unknown field" in message:
        text = "Extra inputs are not permitted"
    elif parts and parts[0] == "category":
        choices = ", ".join(c.value for c in Category)
        text = f"{message} (expected one of {choices})"
    else:
        value: Any = data
        for part in parts:
            try:
                value = value[int(part)] if isinstance(value, list) else value[part]
            except (KeyError, IndexError, ValueError, TypeError):
                break
        expected = _EXPECTED.match(message)
        if expected is not None:
            wanted = " or ".join(
                _TYPE_WORDS.get(t.strip(" `"), t.strip(" `")) for t in expected["types"].split("|")
            )
            text = f"expected {wanted}, got {short(value)}"
        else:
            text = f"{message} (got {short(value)})"
    return TraceError(f"call record: {text}", path=path, line=line, field=field)


def check_finite(record: BodyRecord | TraceHeader, path: str, lineno: int) -> None:
    """Refuse NaN and ±Infinity anywhere in a record.

    JSON has no such numbers, but pydantic's parser accepts ``NaN``/``Infinity`` and
    turns ``1e999`` into infinity; a consent moment at ``NaN`` compares false with
    every call and would put all of them in no phase at all (a wrong pass). msgspec
    (the fast path) refuses them already, so this runs on the general path only.
    """
    if isinstance(record, TraceHeader):
        fields: dict[str, Any] = {"clock_offset_ms": record.clock_offset_ms}
    else:
        fields = {"ts": record.ts}
        detail = getattr(record, "detail", None)
        if detail:
            fields["detail"] = detail
    where = _non_finite(fields)
    if where is not None:
        kind = "header" if isinstance(record, TraceHeader) else record.kind
        raise TraceError(
            f"{kind} record: NaN or Infinity is not a number a trace may hold (JSON has neither)",
            path=path,
            line=lineno,
            field=where,
        )


def _non_finite(data: dict[str, Any]) -> str | None:
    """The dotted path of the first NaN/±Infinity in ``data`` (iterative: detail
    values may be nested as deep as the JSON parser allows), or None."""
    todo: list[tuple[str, Any]] = [(k, v) for k, v in data.items()]
    while todo:
        where, value = todo.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                return where
        elif isinstance(value, dict):
            todo.extend((f"{where}.{k}", v) for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            todo.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
    return None


def trace_error(
    exc: ValidationError, path: str, line: int, *, tagged: bool = True, record: str | None = None
) -> TraceError:
    """The first validation problem as a TraceError naming line, field and expectation.

    ``tagged``: the error comes from the record union (its first location part names the
    record kind); ``record`` names the kind of an untagged record in the message."""
    first = exc.errors(include_url=False)[0]
    kind = first["type"]
    if kind == "json_invalid":
        error = first.get("ctx", {}).get("error", first["msg"])
        return TraceError(f"not valid JSON ({error})", path=path, line=line)
    loc = list(first["loc"])
    prefix = f"{record} record: " if record else ""
    if tagged and loc and isinstance(loc[0], str) and kind != "union_tag_invalid":
        prefix = f"{loc.pop(0)} record: "
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        given = first.get("input")
        found = given.get("kind") if isinstance(given, dict) else given
        return TraceError(
            "expected a record with kind 'call', 'marker', 'issue', 'end' or 'stack', "
            f"got {short(found)}",
            path=path,
            line=line,
            field="kind",
        )
    field = ".".join(str(part) for part in loc) or None
    message = first["msg"]
    if kind != "missing":
        message += f" (got {short(first.get('input'))})"
    return TraceError(prefix + message, path=path, line=line, field=field)


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
