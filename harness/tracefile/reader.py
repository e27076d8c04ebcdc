"""Streaming trace reader (DESIGN §4.3).

``open_trace(path)`` reads and checks the header only; ``records()`` then streams the
rest one line at a time (constant memory, re-iterable: each call reads the file anew).
Every problem is a :class:`~harness.errors.TraceError` naming the file, the line, the
field and what was expected.

Speed (the scorer reads millions of calls): a call line is decoded and type-checked by
msgspec straight into the one :class:`~harness.model.CallEvent` type, and stacks are
shared: a ``stack_ref`` (see :mod:`harness.tracefile.stacks`) resolves to the one list
of its ``stack`` record (read-only, like the frozen record). A line the quick way does
not accept (another layout, a lax type, an error) takes the general path: parsed once,
checked by kind — calls by msgspec (lax), markers, issues and ends by their pydantic
models — which produces the error message.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import msgspec
from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from harness.errors import TraceError
from harness.model.trace import (
    FORMAT_VERSION,
    CallEvent,
    Marker,
    ModelRecord,
    TraceEnd,
    TraceHeader,
    TraceIssue,
)
from harness.tracefile.problems import call_error, check_finite, short, trace_error
from harness.tracefile.stacks import STACK_SLOTS, StackRecord

#: Records after the header.
BodyRecord = CallEvent | Marker | TraceIssue | TraceEnd


class _StackLine(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    kind: str
    id: int
    frames: list[str]


_MODEL = TypeAdapter(ModelRecord)
_STACK_RECORD = TypeAdapter(StackRecord)
_DECODE_CALL = msgspec.json.Decoder(CallEvent).decode
_DECODE_STACK_LINE = msgspec.json.Decoder(_StackLine).decode
_DECODE_ANY = msgspec.json.Decoder().decode
_MSGSPEC_ERRORS = (msgspec.DecodeError, msgspec.ValidationError)
_SET = msgspec.structs.force_setattr
_CALL_PREFIX = b'{"kind":"call",'
_STACK_PREFIX = b'{"kind":"stack",'
_STACK_KEY = b'"stack":'
_MARKER_HINT = b'"marker"'
_KINDS = "'call', 'marker', 'issue', 'end' or 'stack'"
#: Bytes read at a time when looking for marker lines.
_BLOCK = 1 << 20


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
        # stack_ref → frames (bounded by STACK_SLOTS)
        table: dict[int, list[str]] = {}
        decode_call = _DECODE_CALL
        force = _SET
        ended_at: int | None = None
        last_ts = 0.0
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise TraceError(f"cannot read the trace: {exc.strerror}", path=path) from exc
        with handle:
            lines = _hinted_lines(handle, _MARKER_HINT) if markers_only else _lines(handle)
            for lineno, raw in lines:
                record: BodyRecord | None = None
                if raw.startswith(_CALL_PREFIX):
                    if markers_only:
                        continue  # "marker" in a call's text: not a marker
                    try:
                        call: CallEvent = decode_call(raw)
                    except (*_MSGSPEC_ERRORS, RecursionError):
                        pass  # the general path tells what is wrong
                    else:
                        ref = call.stack_ref
                        if ref is None:
                            record = call
                        else:
                            frames = table.get(ref)
                            # unknown ref, or both: the general path says so
                            if frames is not None and _STACK_KEY not in raw:
                                force(call, "stack", frames)
                                force(call, "stack_ref", None)
                                record = call
                elif raw.startswith(_STACK_PREFIX):
                    try:
                        stack = _DECODE_STACK_LINE(raw)
                    except _MSGSPEC_ERRORS:
                        pass
                    else:
                        if stack.kind == "stack" and 0 <= stack.id < STACK_SLOTS:
                            if ended_at is None:
                                table[stack.id] = stack.frames
                                continue
                if record is None:
                    if not raw.strip():
                        continue  # blank lines (hand-written traces) carry nothing
                    try:
                        parsed = _general(raw, path, lineno, table, lenient=markers_only)
                    except _CutShort:
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
                    if parsed is None:
                        if ended_at is None:
                            continue  # a stack record (or an unresolved one, markers only)
                    else:
                        record = parsed
                if ended_at is not None:
                    raise TraceError(
                        f"a record after the end record of line {ended_at}: the end "
                        "record must be the last line",
                        path=path,
                        line=lineno,
                    )
                assert record is not None
                if type(record) is TraceEnd:
                    ended_at = lineno
                last_ts = record.ts
                yield record


class _CutShort(Exception):
    """The line is valid JSON cut short (the last line of a trace whose writer died)."""


def _general(
    raw: bytes, path: str, lineno: int, table: dict[int, list[str]], *, lenient: bool
) -> BodyRecord | None:
    """One line parsed and checked by its kind; None for a ``stack`` record (registered
    in ``table``). ``lenient``: a call whose ``stack_ref`` is unknown is skipped (None)."""
    try:
        data = _DECODE_ANY(raw)
    except _MSGSPEC_ERRORS as exc:
        if not raw.endswith(b"\n") and "truncated" in str(exc):
            raise _CutShort from None
        raise TraceError(f"not valid JSON ({exc})", path=path, line=lineno) from None
    except RecursionError:
        raise TraceError(
            "not a record: values nested too deeply to read", path=path, line=lineno
        ) from None
    if not isinstance(data, dict):
        raise TraceError(
            f"expected a record object ({{\"kind\": …}}), got {short(data)}",
            path=path, line=lineno,
        )
    kind = data.get("kind")
    if kind == "header":
        raise TraceError(
            "a second header: a trace has one header, on line 1 (were two traces concatenated?)",
            path=path,
            line=lineno,
        )
    if kind == "stack":
        _stack_record(data, path, lineno, table)
        return None
    if kind == "call":
        return _call(data, path, lineno, table, lenient=lenient)
    if kind not in ("marker", "issue", "end"):
        raise TraceError(
            f"expected a record with kind {_KINDS}, got {short(kind)}",
            path=path,
            line=lineno,
            field="kind",
        )
    try:
        parsed: Marker | TraceIssue | TraceEnd = _MODEL.validate_python(data)
    except ValidationError as exc:
        raise trace_error(exc, path, lineno) from None
    check_finite(parsed, path, lineno)
    return parsed


def _stack_record(
    data: dict[str, Any], path: str, lineno: int, table: dict[int, list[str]]
) -> None:
    try:
        stack = _STACK_RECORD.validate_python(data)
    except ValidationError as exc:
        raise trace_error(exc, path, lineno, tagged=False, record="stack") from None
    table[stack.id] = stack.frames


def _call(
    data: dict[str, Any], path: str, lineno: int, table: dict[int, list[str]], *, lenient: bool
) -> CallEvent | None:
    frames: list[str] | None = None
    if "stack_ref" in data:
        ref = data.pop("stack_ref")
        if not isinstance(ref, int) or isinstance(ref, bool) or not 0 <= ref < STACK_SLOTS:
            raise TraceError(
                f"call record: expected a stack id from 0 to {STACK_SLOTS - 1} "
                f"(got {short(ref)})",
                path=path,
                line=lineno,
                field="stack_ref",
            )
        if "stack" in data:
            raise TraceError(
                "call record: give either stack or stack_ref, not both",
                path=path,
                line=lineno,
                field="stack_ref",
            )
        frames = table.get(ref)
        if frames is None:
            if lenient:
                return None
            raise TraceError(
                f"call record: no stack record with id {ref} above this line",
                path=path,
                line=lineno,
                field="stack_ref",
            )
    try:
        # Lax, as hand-written traces may be ("ts": "10"); the writer's lines never need it.
        call = msgspec.convert(data, CallEvent, strict=False)
    except msgspec.ValidationError as exc:
        raise call_error(exc, data, path, lineno) from None
    if not math.isfinite(call.ts):
        raise TraceError(
            "call record: NaN or Infinity is not a number a trace may hold (JSON has neither)",
            path=path,
            line=lineno,
            field="ts",
        )
    if frames is not None:
        _SET(call, "stack", frames)  # share the list (read-only), as the fast path does
    return call


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number, line) after the header (and any blank lines before it)."""
    lineno = 0
    for raw in handle:
        lineno += 1
        if raw.strip():
            break  # the header, checked by open_trace
    for raw in handle:
        lineno += 1
        yield lineno, raw


def _hinted_lines(handle: IO[bytes], hint: bytes) -> Iterator[tuple[int, bytes]]:
    """Like :func:`_lines`, but only the lines holding ``hint``: searched for in big
    blocks, so the other lines cost next to nothing (they are never split out)."""
    done = 0  # lines wholly before ``block``
    while True:
        first = handle.readline()
        if not first:
            return
        done += 1
        if first.strip():
            break  # the header
    carry = b""
    while True:
        chunk = handle.read(_BLOCK)
        if not chunk:
            break
        block = carry + chunk if carry else chunk
        end = block.rfind(b"\n") + 1  # complete lines end here
        counted = 0
        pos = block.find(hint, 0, end)
        while pos >= 0:
            start = block.rfind(b"\n", 0, pos) + 1
            stop = block.find(b"\n", pos) + 1
            done += block.count(b"\n", counted, start)
            counted = start
            yield done + 1, block[start:stop]
            pos = block.find(hint, stop, end)
        done += block.count(b"\n", counted, end)
        carry = block[end:]
    if hint in carry:
        yield done + 1, carry


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
        header = TraceHeader.model_validate(data)
    except ValidationError as exc:
        raise trace_error(exc, path, 1, tagged=False) from None
    check_finite(header, path, 1)
    return header


