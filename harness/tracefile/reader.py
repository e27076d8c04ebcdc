"""Streaming trace reader (DESIGN §4.3).

``open_trace(path)`` reads and checks the header only; ``records()`` then streams the
rest one line at a time (constant memory, re-iterable: each call reads the file anew).
Every problem is a :class:`~harness.errors.TraceError` naming the file, the line, the
field and what was expected.

Speed: a call line as :class:`TraceWriter` writes it ends with its ``stack``; stacks
repeat a lot (the same SDK code path calls the same API again and again), so the reader
validates each distinct stack text once (a bounded cache) and validates the rest of the
line with pydantic's JSON validator. Anything else — and any line that fails the quick
way — goes through full validation of the whole line, which also produces the error.
Records are frozen; records that had the same stack text share one list (read-only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from harness.errors import TraceError
from harness.model.trace import (
    FORMAT_VERSION,
    CallEvent,
    Marker,
    TraceEnd,
    TraceHeader,
    TraceIssue,
    TraceRecord,
)

#: Records after the header.
BodyRecord = CallEvent | Marker | TraceIssue | TraceEnd

_RECORD = TypeAdapter(TraceRecord)
_CALL = TypeAdapter(CallEvent)
_STACK = TypeAdapter(list[str])
_CALL_PREFIX = b'{"kind":"call",'
_STACK_KEY = b',"stack":['
_MARKER_HINT = b'"marker"'
#: Distinct stacks remembered at once; past that the cache starts afresh (flat memory).
_STACK_CACHE_SIZE = 4096


class TraceFile:
    """An opened trace: its checked ``header`` and streaming access to the records."""

    def __init__(self, path: Path, header: TraceHeader) -> None:
        self.path = path
        self.header = header

    def __repr__(self) -> str:
        return f"TraceFile({str(self.path)!r}, package={self.header.app.package!r})"

    def records(self) -> Iterator[BodyRecord]:
        """Every record after the header, in file order (the end record included)."""
        return self._iterate(markers_only=False)

    def markers(self) -> Iterator[Marker]:
        """Only the markers — cheap: other lines are skipped without being parsed."""
        for record in self._iterate(markers_only=True):
            if isinstance(record, Marker):
                yield record

    def __iter__(self) -> Iterator[BodyRecord]:
        return self.records()

    def _iterate(self, *, markers_only: bool) -> Iterator[BodyRecord]:
        path = str(self.path)
        stacks: dict[bytes, list[str]] = {}
        validate_call = _CALL.validate_json
        ended_at: int | None = None
        last_ts = 0.0
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise TraceError(f"cannot read the trace: {exc.strerror}", path=path) from exc
        with handle:
            handle.readline()  # the header, checked by open_trace
            lineno = 1
            for raw in handle:
                lineno += 1
                if markers_only and _MARKER_HINT not in raw:
                    continue
                record: BodyRecord | None = None
                if raw.startswith(_CALL_PREFIX):
                    # Fast path for the writer's own layout (module doc). A JSON string
                    # cannot contain an unescaped '"', so ',"stack":[' is the key itself.
                    cut = raw.find(_STACK_KEY)
                    tail = 2 if raw.endswith(b"]}\n") else 1 if raw.endswith(b"]}") else 0
                    if cut > 0 and tail:
                        stack_text = raw[cut + 9 : -tail]
                        stack = stacks.get(stack_text)
                        try:
                            if stack is None:
                                stack = _STACK.validate_json(stack_text)
                                if len(stacks) >= _STACK_CACHE_SIZE:
                                    stacks.clear()
                                stacks[stack_text] = stack
                            call = validate_call(raw[:cut] + b"}")
                        except ValidationError:
                            pass  # the full validation below names the problem
                        else:
                            # Frozen model: set the validated stack the way pydantic's
                            # own model_construct does, without a copy.
                            call.__dict__["stack"] = stack
                            record = call
                if record is None:
                    if not raw.strip():
                        continue  # blank lines (hand-written traces) carry nothing
                    try:
                        parsed = _RECORD.validate_json(raw)
                    except ValidationError as exc:
                        if not raw.endswith(b"\n") and _is_cut_short(exc):
                            # The last line of a trace whose writer died mid-write: keep
                            # everything before it, and say the recording is incomplete.
                            yield TraceIssue(
                                ts=last_ts,
                                level="error",
                                code="truncated_record",
                                message=f"line {lineno} is cut short: the recording "
                                "stopped in the middle of writing it",
                                detail={"line": lineno},
                            )
                            return
                        raise _trace_error(exc, path, lineno) from None
                    if isinstance(parsed, TraceHeader):
                        raise TraceError(
                            "a second header: a trace has one header, on line 1 "
                            "(were two traces concatenated?)",
                            path=path,
                            line=lineno,
                        )
                    record = parsed
                if ended_at is not None:
                    raise TraceError(
                        f"a record after the end record of line {ended_at}: the end "
                        "record must be the last line",
                        path=path,
                        line=lineno,
                    )
                if isinstance(record, TraceEnd):
                    ended_at = lineno
                last_ts = record.ts
                yield record


def open_trace(path: str | Path) -> TraceFile:
    """Open a trace file and check its header (the records are read lazily)."""
    path = Path(path)
    where = str(path)
    try:
        with path.open("rb") as handle:
            first = handle.readline()
            while first and not first.strip():
                first = handle.readline()
    except FileNotFoundError as exc:
        raise TraceError("no such trace file", path=where) from exc
    except IsADirectoryError as exc:
        raise TraceError(
            "this is a folder; give the path of a trace.jsonl file", path=where
        ) from exc
    except OSError as exc:
        raise TraceError(f"cannot read the trace: {exc.strerror}", path=where) from exc
    if not first:
        raise TraceError(
            'empty file: a trace starts with a header line ({"kind": "header", …})',
            path=where,
        )
    return TraceFile(path, _parse_header(first, where))


def _parse_header(line: bytes, path: str) -> TraceHeader:
    try:
        data: Any = from_json(line)
    except ValueError as exc:
        raise TraceError(
            f"not JSON ({exc}); a consent-harness trace is JSON Lines starting with "
            'a header ({"kind": "header", …})',
            path=path,
            line=1,
        ) from None
    if not isinstance(data, dict) or data.get("kind") != "header":
        found = data.get("kind") if isinstance(data, dict) else type(data).__name__
        raise TraceError(
            f'the first line must be the trace header ({{"kind": "header", …}}), found {found!r}',
            path=path,
            line=1,
            field="kind",
        )
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TraceError(
            f"expected a positive whole number, got {version!r}",
            path=path,
            line=1,
            field="format_version",
        )
    if version > FORMAT_VERSION:
        raise TraceError(
            f"this trace was written by a newer consent-harness (format {version}); "
            f"please upgrade (this one reads format {FORMAT_VERSION})",
            path=path,
            line=1,
        )
    try:
        return TraceHeader.model_validate(data)
    except ValidationError as exc:
        raise _trace_error(exc, path, 1, tagged=False) from None


def _is_cut_short(exc: ValidationError) -> bool:
    first = exc.errors()[0]
    return first["type"] == "json_invalid" and "EOF" in str(first.get("ctx", {}).get("error"))


def _trace_error(exc: ValidationError, path: str, line: int, *, tagged: bool = True) -> TraceError:
    """The first validation problem as a TraceError naming line, field and expectation."""
    first = exc.errors(include_url=False)[0]
    kind = first["type"]
    if kind == "json_invalid":
        error = first.get("ctx", {}).get("error", first["msg"])
        return TraceError(f"not valid JSON ({error})", path=path, line=line)
    loc = list(first["loc"])
    record = ""
    if tagged and loc and isinstance(loc[0], str) and kind != "union_tag_invalid":
        record = f"{loc.pop(0)} record: "
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        given = first.get("input")
        found = given.get("kind") if isinstance(given, dict) else given
        return TraceError(
            f"expected a record with kind 'call', 'marker', 'issue' or 'end', got {_short(found)}",
            path=path,
            line=line,
            field="kind",
        )
    field = ".".join(str(part) for part in loc) or None
    message = first["msg"]
    if kind != "missing":
        message += f" (got {_short(first.get('input'))})"
    return TraceError(record + message, path=path, line=line, field=field)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
