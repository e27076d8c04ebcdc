"""Stack interning in trace files (docs/internals.md, "Trace file").

Stacks repeat a lot — the same SDK code path calls the same API again and again — and
are most of a call line's bytes. So the writer puts each distinct stack once in a
``stack`` record and the calls refer to it:

    {"kind":"stack","id":3,"frames":["android.…","com.example.sdk.…", …]}
    {"kind":"call","seq":7,…,"threw":null,"stack_ref":3}

A ``stack_ref`` means the frames of the latest ``stack`` record with that id **above**
the call. Ids are slots ``0 ≤ id <`` :data:`STACK_SLOTS`: a writer that has used every
slot starts again from 0 and redefines them, so a reader never holds more than
:data:`STACK_SLOTS` stacks (flat memory however long the trace). Readers hand out full
:class:`~harness.model.CallEvent` records with ``stack`` filled in; a call may still
carry its ``stack`` inline instead (hand-written traces, empty stacks).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: Stack ids are 0 ≤ id < STACK_SLOTS (bounds both the writer's and a reader's table).
STACK_SLOTS = 16384


class StackRecord(BaseModel):
    """One distinct stack, written once before the first call that refers to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field("stack", pattern="^stack$")
    id: int = Field(ge=0, lt=STACK_SLOTS)
    frames: list[str] = Field(description="frames, innermost first")


class StackTable:
    """The writer's side: distinct stacks → ids, bounded to :data:`STACK_SLOTS`."""

    def __init__(self, slots: int = STACK_SLOTS) -> None:
        if not 0 < slots <= STACK_SLOTS:
            raise ValueError(f"slots must be in 1..{STACK_SLOTS}")
        self._slots = slots
        self._ids: dict[tuple[str, ...], int] = {}

    def ref(self, frames: list[str]) -> tuple[int, str | None]:
        """The id of ``frames``, and the ``stack`` line to write first (None if known)."""
        key = tuple(frames)
        known = self._ids.get(key)
        if known is not None:
            return known, None
        if len(self._ids) >= self._slots:
            self._ids.clear()  # every slot used: start over, redefining from slot 0
        new = self._ids[key] = len(self._ids)
        return new, StackRecord(id=new, frames=frames).model_dump_json()
