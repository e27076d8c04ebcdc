"""Streaming trace reader (DESIGN §4.3).

``open_trace(path)`` reads and checks the header only; ``records()`` then streams the
rest one line at a time (constant memory, re-iterable: each call reads the file anew).
Every problem is a :class:`~harness.errors.TraceError` naming the file, the line, the
field and what was expected.

Speed (the scorer reads millions of calls): call lines in the writer's layout are
decoded and type-checked by msgspec into a light :class:`CallView` — the same fields,
types and "no unknown field" rule as :class:`~harness.model.CallEvent` — and stacks are
shared: a ``stack_ref`` (see :mod:`harness.tracefile.stacks`) resolves to the one list
of its ``stack`` record, and an inline stack at the end of a line is validated once per
distinct text (a bounded cache). Any line the quick way does not accept goes through
pydantic's validation of the whole line, which accepts exactly what the models accept
and produces the error message. :meth:`TraceFile.scan` yields the views (the scorer's
path); :meth:`TraceFile.records` turns them into frozen ``CallEvent`` records; records
with the same stack share one list (read-only).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

import msgspec
from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from harness.errors import TraceError
from harness.model.enums import Category
from harness.model.trace import (
    FORMAT_VERSION,
    CallEvent,
    Marker,
    TraceEnd,
    TraceHeader,
    TraceIssue,
    TraceRecord,
)
from harness.tracefile.stacks import STACK_SLOTS, StackRecord

#: Records after the header.
BodyRecord = CallEvent | Marker | TraceIssue | TraceEnd


#: CallView's ``stack`` when the line has none (told apart from an explicit ``[]``).
_NO_STACK: list[str] = []


def _no_stack() -> list[str]:
    return _NO_STACK


class CallView(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A call record as the scorer reads it: :class:`~harness.model.CallEvent`'s fields
    with the same types, checked by msgspec instead of pydantic (several times faster).

    ``stack`` is resolved (a ``stack_ref`` in the file becomes the shared frames list).
    Treat it as read-only, like the frozen ``CallEvent``; :meth:`to_event` makes one.
    """

    seq: int
    ts: float
    pid: int
    tid: int
    thread: str
    api: str
    category: Category
    kind: Literal["call"] = "call"
    data: str | None = None
    overload: str = ""
    args: list[str] = msgspec.field(default_factory=list)
    ret: str | None = None
    threw: str | None = None
    stack: list[str] = msgspec.field(default_factory=_no_stack)
    #: Only in the file (resolved into ``stack`` by the reader).
    stack_ref: int | None = None
    framework: bool = False

    def to_event(self) -> CallEvent:
        call = _CALL.validate_python(
            {
                "seq": self.seq,
                "ts": self.ts,
                "pid": self.pid,
                "tid": self.tid,
                "thread": self.thread,
                "api": self.api,
                "category": self.category,
                "data": self.data,
                "overload": self.overload,
                "args": self.args,
                "ret": self.ret,
                "threw": self.threw,
                "stack": (),
                "framework": self.framework,
            }
        )
        # Frozen model: share the (read-only) stack list the way pydantic's own
        # model_construct sets fields, without a copy.
        call.__dict__["stack"] = self.stack
        return call


class _StackLine(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    kind: Literal["stack"]
    id: int
    frames: list[str]


#: What :meth:`TraceFile.scan` yields: calls as views (or as ``CallEvent`` when only
#: pydantic's lax validation accepted the line), everything else as the models.
ScanRecord = CallView | CallEvent | Marker | TraceIssue | TraceEnd

_RECORD = TypeAdapter(TraceRecord)
_CALL = TypeAdapter(CallEvent)
_STACK_RECORD = TypeAdapter(StackRecord)
_DECODE_CALL = msgspec.json.Decoder(CallView).decode
_DECODE_STACK_LINE = msgspec.json.Decoder(_StackLine).decode
_DECODE_FRAMES = msgspec.json.Decoder(list[str]).decode
_MSGSPEC_ERRORS = (msgspec.DecodeError, msgspec.ValidationError)
_CALL_PREFIX = b'{"kind":"call",'
_STACK_PREFIX = b'{"kind":"stack",'
_STACK_KEY = b',"stack":['
_MARKER_HINT = b'"marker"'
#: Distinct inline stack texts remembered at once; past that the cache starts afresh.
_STACK_CACHE_SIZE = 4096
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
        for record in self._iterate(markers_only=False):
            yield record.to_event() if type(record) is CallView else record  # type: ignore[misc]

    def scan(self) -> Iterator[ScanRecord]:
        """Like :meth:`records`, but calls come as light :class:`CallView` objects
        (same fields and checks, no pydantic model): the scorer's fast path."""
        return self._iterate(markers_only=False)

    def markers(self) -> Iterator[Marker]:
        """Only the markers — cheap: other lines are skipped without being parsed."""
        for record in self._iterate(markers_only=True):
            if isinstance(record, Marker):
                yield record

    def __iter__(self) -> Iterator[BodyRecord]:
        return self.records()

    def _iterate(self, *, markers_only: bool) -> Iterator[ScanRecord]:
        path = str(self.path)
        # stack_ref → frames (bounded by STACK_SLOTS), inline stack text → frames.
        table: dict[int, list[str]] = {}
        inline: dict[bytes, list[str]] = {}
        decode_call = _DECODE_CALL
        ended_at: int | None = None
        last_ts = 0.0
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise TraceError(f"cannot read the trace: {exc.strerror}", path=path) from exc
        with handle:
            lines = _hinted_lines(handle, _MARKER_HINT) if markers_only else _lines(handle)
            for lineno, raw in lines:
                record: ScanRecord | None = None
                if raw.startswith(_CALL_PREFIX):
                    if markers_only:
                        continue  # "marker" in a call's text: not a marker
                    # Fast path (module doc). A JSON string cannot hold an unescaped '"',
                    # so ',"stack":[' is the key itself; ending in ']}' it is the last one.
                    view: CallView | None = None
                    if raw.endswith(b"]}\n") or raw.endswith(b"]}"):
                        cut = raw.find(_STACK_KEY)
                        if cut > 0:
                            text = raw[cut + 9 : -2 if raw.endswith(b"\n") else -1]
                            frames = inline.get(text)
                            try:
                                if frames is None:
                                    frames = _DECODE_FRAMES(text)
                                    if len(inline) >= _STACK_CACHE_SIZE:
                                        inline.clear()
                                    inline[text] = frames
                                view = decode_call(raw[:cut] + b"}")
                            except _MSGSPEC_ERRORS:
                                view = None
                            else:
                                if view.stack_ref is None:
                                    view.stack = frames
                                else:
                                    view = None  # both: the general path says so
                    else:
                        try:
                            view = decode_call(raw)
                        except _MSGSPEC_ERRORS:
                            view = None
                        else:
                            ref = view.stack_ref
                            if ref is None:
                                if view.stack is _NO_STACK:
                                    view.stack = []
                            else:
                                frames = table.get(ref)
                                if frames is None or view.stack is not _NO_STACK:
                                    view = None  # unknown ref, or both: general path
                                else:
                                    view.stack = frames
                    record = view
                elif raw.startswith(_STACK_PREFIX):
                    try:
                        stack = _DECODE_STACK_LINE(raw)
                    except _MSGSPEC_ERRORS:
                        pass
                    else:
                        if 0 <= stack.id < STACK_SLOTS:
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
    """Full pydantic validation of one line; None for a ``stack`` record (registered in
    ``table``). ``lenient``: a call whose ``stack_ref`` is unknown is skipped (None)."""
    try:
        parsed = _RECORD.validate_json(raw)
    except ValidationError as exc:
        if not raw.endswith(b"\n") and _is_cut_short(exc):
            raise _CutShort from None
        errors = exc.errors(include_url=False)
        first = errors[0]
        if first["type"] == "union_tag_invalid" and first.get("ctx", {}).get("tag") == "stack":
            _stack_record(raw, path, lineno, table)
            return None
        if any(
            e["type"] == "extra_forbidden" and tuple(e["loc"]) == ("call", "stack_ref")
            for e in errors
        ):
            return _call_with_ref(raw, path, lineno, table, lenient=lenient)
        raise _trace_error(exc, path, lineno) from None
    if isinstance(parsed, TraceHeader):
        raise TraceError(
            "a second header: a trace has one header, on line 1 (were two traces concatenated?)",
            path=path,
            line=lineno,
        )
    _check_finite(parsed, path, lineno)
    return parsed


def _stack_record(raw: bytes, path: str, lineno: int, table: dict[int, list[str]]) -> None:
    try:
        stack = _STACK_RECORD.validate_json(raw)
    except ValidationError as exc:
        raise _trace_error(exc, path, lineno, tagged=False, record="stack") from None
    table[stack.id] = stack.frames


def _call_with_ref(
    raw: bytes, path: str, lineno: int, table: dict[int, list[str]], *, lenient: bool
) -> CallEvent | None:
    data: dict[str, Any] = from_json(raw)  # valid JSON: validate_json got past parsing
    ref = data.pop("stack_ref")
    if not isinstance(ref, int) or isinstance(ref, bool) or not 0 <= ref < STACK_SLOTS:
        raise TraceError(
            f"call record: expected a stack id from 0 to {STACK_SLOTS - 1} (got {_short(ref)})",
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
    data["stack"] = frames
    try:
        record = _RECORD.validate_python(data)
    except ValidationError as exc:
        raise _trace_error(exc, path, lineno) from None
    assert isinstance(record, CallEvent)
    _check_finite(record, path, lineno)
    record.__dict__["stack"] = frames  # share the list (read-only), as the fast path does
    return record


def _check_finite(record: BodyRecord | TraceHeader, path: str, lineno: int) -> None:
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
        raise _trace_error(exc, path, 1, tagged=False) from None
    _check_finite(header, path, 1)
    return header


def _is_cut_short(exc: ValidationError) -> bool:
    first = exc.errors()[0]
    return first["type"] == "json_invalid" and "EOF" in str(first.get("ctx", {}).get("error"))


def _trace_error(
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
            f"got {_short(found)}",
            path=path,
            line=line,
            field="kind",
        )
    field = ".".join(str(part) for part in loc) or None
    message = first["msg"]
    if kind != "missing":
        message += f" (got {_short(first.get('input'))})"
    return TraceError(prefix + message, path=path, line=line, field=field)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
