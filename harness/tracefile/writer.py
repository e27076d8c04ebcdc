"""Incremental JSONL trace writer (DESIGN §4.3)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

import msgspec

from harness.errors import InputError
from harness.model.trace import CallEvent, Marker, TraceEnd, TraceHeader, TraceIssue
from harness.tracefile.redact import Redactor, load_salt
from harness.tracefile.stacks import StackTable

#: What :meth:`TraceWriter.write` accepts (header and end have their own methods).
BodyRecord = CallEvent | Marker | TraceIssue
#: Markers a writer keeps a copy of (they are few next to calls; past this it keeps none
#: and a reader scans the file for them).
MAX_KEPT_MARKERS = 50_000


@dataclass(frozen=True)
class CallSpan:
    """How many calls a trace holds and the earliest and latest ``ts`` among them (not
    the first and last written: threads' calls interleave)."""

    calls: int
    first_ts: float
    last_ts: float


class TraceWriter:
    """Writes one trace file: header at once, then batches, then the end record.

    Every :meth:`write` ends with a flush to the operating system, so a crash of the
    host process loses nothing that was already handed to the writer. (It does not
    ``fsync`` each batch — that would cost a disk sync every ~50 ms for protection
    against power loss only; :meth:`close` does sync.)

    Stacks are interned (:mod:`harness.tracefile.stacks`): each distinct stack is
    written once as a ``stack`` record, and calls refer to it by ``stack_ref``.

    Values are redacted by default (see :mod:`harness.tracefile.redact`); the header
    written says so (``redacted``, ``salt_id``). ``reveal_values=True`` keeps them.

    One thread owns a writer (the instrumentation host's event loop); it is not locked.
    Leaving a ``with`` block without :meth:`close` writes an end record by itself:
    ``completed`` on a normal exit, ``interrupted`` on KeyboardInterrupt, ``error``
    (with the exception's text) on any other exception.
    """

    def __init__(
        self,
        path: str | Path,
        header: TraceHeader,
        *,
        reveal_values: bool = False,
        salt: bytes | str | None = None,
    ) -> None:
        self.path = Path(path)
        self._redactor: Redactor | None = None
        if reveal_values:
            header = header.model_copy(update={"redacted": False, "salt_id": None})
        else:
            salt_bytes = salt.encode("utf-8") if isinstance(salt, str) else salt
            self._redactor = Redactor(salt_bytes if salt_bytes else load_salt())
            header = self._redactor.header(header).model_copy(
                update={"redacted": True, "salt_id": self._redactor.salt_id}
            )
        if not math.isfinite(header.clock_offset_ms):
            raise ValueError(
                f"clock_offset_ms must be a finite number, not {header.clock_offset_ms}"
            )
        self.header = header
        #: Call records written so far (the end record's ``events`` unless given).
        self.events = 0
        self._last_ts = 0.0
        self._min_call_ts = math.inf
        self._max_call_ts = -math.inf
        self._markers: list[Marker] | None = []
        self._stacks = StackTable()
        try:
            self._file: IO[bytes] | None = self.path.open("wb")
        except OSError as exc:
            raise InputError(f"cannot write the trace: {exc}", path=str(self.path)) from exc
        self._encode = msgspec.json.Encoder().encode
        self._emit([header.model_dump_json().encode()])

    @property
    def closed(self) -> bool:
        return self._file is None

    @property
    def span(self) -> CallSpan:
        """The calls written so far: their number and time range."""
        if not self.events:
            return CallSpan(0, 0.0, 0.0)
        return CallSpan(self.events, self._min_call_ts, self._max_call_ts)

    @property
    def markers(self) -> list[Marker] | None:
        """The markers written so far, as written (redacted), in order — None past
        :data:`MAX_KEPT_MARKERS`. The scorer takes them instead of reading the file for
        them."""
        return self._markers

    def write(self, records: Iterable[BodyRecord]) -> None:
        """Append a batch (calls, markers, issues) and flush it."""
        lines: list[bytes] = []
        written: list[bytes] = []  # the markers' lines
        redactor = self._redactor
        encode = self._encode
        replace = msgspec.structs.replace
        for record in records:
            if type(record) is CallEvent:
                if not math.isfinite(record.ts):
                    raise ValueError(f"a trace record needs a finite ts, got {record!r}")
                if redactor is not None:
                    record = redactor.call(record)
                self.events += 1
                ts = self._last_ts = record.ts
                if ts < self._min_call_ts:
                    self._min_call_ts = ts
                if ts > self._max_call_ts:
                    self._max_call_ts = ts
                if record.stack:
                    ref, definition = self._stacks.ref(record.stack)
                    if definition is not None:
                        lines.append(definition.encode())
                    # The same record, its frames replaced by the stack record's id.
                    record = replace(record, stack=[], stack_ref=ref)
                lines.append(encode(record))
                continue
            if isinstance(record, Marker):
                if redactor is not None:
                    record = redactor.marker(record)
            elif isinstance(record, TraceIssue):
                if redactor is not None:
                    record = redactor.issue(record)
            else:
                raise TypeError(
                    f"TraceWriter.write takes calls, markers and issues, not {record!r}; "
                    "the header is written on open and the end by close()"
                )
            if not math.isfinite(record.ts):
                # pydantic would write null: an unreadable trace, or a consent moment that
                # compares false with every call. A bug of the caller; say so at once.
                raise ValueError(f"a trace record needs a finite ts, got {record!r}")
            self._last_ts = record.ts
            line = record.model_dump_json().encode()
            lines.append(line)
            if type(record) is Marker:
                written.append(line)
        if lines:
            self._emit(lines)
        kept = self._markers
        if written and kept is not None:
            if len(kept) + len(written) <= MAX_KEPT_MARKERS:
                # As a reader will see them (JSON's types: lists, not tuples).
                kept.extend(Marker.model_validate_json(line) for line in written)
            else:
                self._markers = None

    def close(self, end: TraceEnd | None = None) -> None:
        """Write the end record (``completed`` if none is given), sync and close.

        ``end.events`` left at 0 is filled in with the number of calls written.
        Closing twice is a no-op.
        """
        if self._file is None:
            return
        if end is None:
            end = TraceEnd(ts=self._last_ts, reason="completed")
        if end.events == 0 and self.events:
            end = end.model_copy(update={"events": self.events})
        if not math.isfinite(end.ts):
            end = end.model_copy(update={"ts": self._last_ts})
        if end.message and self._redactor is not None:
            end = end.model_copy(update={"message": self._redactor.text(end.message)})
        self._emit([end.model_dump_json().encode()])
        handle, self._file = self._file, None
        try:
            handle.flush()
            _fsync(handle)
        finally:
            handle.close()

    def abandon(self) -> None:
        """Close the file *without* an end record, as if the process had died.

        Readers and the scorer then treat the recording as incomplete (``error``
        verdicts instead of passes). For tests and for hosts that must let go of a
        trace they cannot finish honestly.
        """
        if self._file is not None:
            handle, self._file = self._file, None
            handle.close()

    def _emit(self, lines: list[bytes]) -> None:
        if self._file is None:
            raise ValueError(f"trace {self.path} is already closed")
        try:
            # One write call per batch: the file grows by whole lines as far as the
            # process is concerned, and a reader never sees half a batch from us.
            self._file.write(b"\n".join(lines) + b"\n")
            self._file.flush()
        except OSError as exc:
            raise InputError(f"cannot write the trace: {exc}", path=str(self.path)) from exc

    def __enter__(self) -> TraceWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._file is None:
            return
        if exc is None:
            self.close()
        elif isinstance(exc, KeyboardInterrupt):
            self.close(TraceEnd(ts=self._last_ts, reason="interrupted"))
        else:
            self.close(TraceEnd(ts=self._last_ts, reason="error", message=str(exc) or None))


def _fsync(handle: IO[bytes]) -> None:
    try:
        os.fsync(handle.fileno())
    except OSError:
        pass  # some file systems (pipes, /dev/stdout) cannot sync; the data is flushed
