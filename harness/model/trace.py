"""Records of a trace file (DESIGN §4.3): one JSON object per line, tagged by ``kind``.

Timestamps (``ts``) are milliseconds on the **device clock** (Unix epoch). Host-side
observations are converted with the header's ``clock_offset_ms`` (device − host) before
they are written, so every record of a trace shares one clock.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field

from harness.model.enums import Category, MarkerKind

#: Written in every header. Bump it when a change would make old readers misread a trace.
#: 2: optional fields a format-1 reader would refuse as unknown — ``ScenarioRef.options``,
#: ``CallEvent.framework``; a format-2 reader reads format 1 as before.
#: 3: ``TraceHeader.consent_patterns``; the agent's consent moments are no longer written
#: as markers but derived from its observations (harness.scoring.consent): a format-2
#: reader would miss them. Formats 1 and 2 read as before.
#: 4: ``CallEvent.process`` (every process of the app in one trace); older formats read
#: as before.
FORMAT_VERSION = 4


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AppInfo(_Record):
    package: str
    version_name: str | None = None
    version_code: int | None = None
    label: str | None = None
    #: The binary tested (``check``): SHA-256 of the APK file, its signers' certificate
    #: SHA-256s and signature schemes, the permissions it requests, and the SDKs whose
    #: package prefixes its code names (a static scan, beside those seen at run time).
    apk_sha256: str | None = None
    signing_certs_sha256: list[str] | None = None
    signature_schemes: list[str] | None = None
    permissions: list[str] | None = None
    sdks_in_apk: list[str] | None = None


class ScenarioRef(_Record):
    name: str
    file: str | None = None
    line: int | None = None
    #: The scenario's ``rule_options`` (rule id → options), which the rules read.
    options: dict[str, dict[str, Any]] | None = Field(None, exclude_if=lambda v: not v)


class ConsentPatterns(_Record):
    """The scenario's consent-dialog matchers (regular expressions, case ignored, searched
    in a label with its whitespace collapsed): from them and the agent's observations the
    agent's consent moments are derived (:mod:`harness.scoring.consent`)."""

    dialog: str
    agree: str
    refuse: str


class TraceHeader(_Record):
    kind: Literal["header"] = "header"
    format_version: int = FORMAT_VERSION
    created_at: str = Field(description="ISO-8601 UTC time the trace was opened")
    harness_version: str
    scenario: ScenarioRef | None = None
    #: Categories the service legitimately needs (scenario ``scope``); None = not stated.
    scope: list[Category] | None = None
    device: dict[str, str] = Field(default_factory=dict)
    app: AppInfo
    catalog_hash: str
    clock_offset_ms: float = 0.0
    #: How the consent dialog and its buttons were recognised (format 3); None in older
    #: traces, whose agent consent moments are markers of their own.
    consent_patterns: ConsentPatterns | None = Field(None, exclude_if=lambda v: v is None)
    #: True when identifier values were replaced by salted hashes (the default).
    redacted: bool = True
    salt_id: str | None = None


class CallEvent(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    gc=False,
    tag_field="kind",
    tag="call",
):
    """One observed call of a catalog API — the one form a call has from the agent's
    batch to the report (translated once, redacted as a copy, written, read, scored and
    rendered). A msgspec struct, not a pydantic model: millions of them pass through the
    host (docs/internals.md, "One record per call").

    Built without validation (the translator's inputs are checked when the agent's batch
    is decoded); a trace file's lines are checked by the reader's decoder, which names
    the line and the field. Fields at their default are not written.
    """

    #: per-agent sequence number, from 0, no gaps
    seq: int
    ts: float
    pid: int
    tid: int
    thread: str
    #: catalog entry id
    api: str
    category: Category
    data: str | None = None
    #: Java parameter types, comma-separated
    overload: str = ""
    args: list[str] = msgspec.field(default_factory=list)
    ret: str | None = None
    #: exception class the original call threw
    threw: str | None = None
    #: frames, innermost first (shared between calls read from one file: read-only)
    stack: list[str] = msgspec.field(default_factory=list)
    #: In a file only: the id of the ``stack`` record that holds this call's frames
    #: (:mod:`harness.tracefile.stacks`); the reader resolves it into ``stack``.
    stack_ref: int | None = None
    #: True when the framework made the call by itself: its whole stack holds only the
    #: device's own frames (:func:`harness.model.frames.framework_only`).
    framework: bool = False
    #: The app process the call was made in (``com.example.x``, ``com.example.x:push``):
    #: every process of the package is instrumented and merged into one trace. Absent in
    #: traces written before it was recorded (a reader makes no guess).
    process: str | None = None

    def __post_init__(self) -> None:
        # Built in code without validation: a category given as its text still becomes
        # the enum the readers of a call rely on (``.value``, comparisons by identity).
        if type(self.category) is not Category:
            msgspec.structs.force_setattr(self, "category", Category(self.category))

    @property
    def kind(self) -> Literal["call"]:
        return "call"


class Marker(_Record):
    """A moment on the timeline, seen by the agent (device clock) or the host."""

    kind: Literal["marker"] = "marker"
    marker: MarkerKind
    ts: float
    source: Literal["agent", "host"]
    seq: int | None = Field(None, description="agent sequence number, for agent markers")
    detail: dict[str, Any] = Field(default_factory=dict)


class TraceIssue(_Record):
    """Something went wrong while recording: a sequence gap, an agent error, a lost device."""

    kind: Literal["issue"] = "issue"
    ts: float
    level: Literal["warning", "error"]
    code: str
    message: str
    detail: dict[str, Any] = Field(default_factory=dict)


#: End reasons this version writes. ``completed`` and ``app_exit`` close a recording that
#: saw everything until the end; any other reason — ``device_lost``, ``error``,
#: ``interrupted``, or one this version does not know — marks it incomplete (scoring).
END_REASONS = ("completed", "app_exit", "device_lost", "error", "interrupted")
#: End reasons after which the recording is complete.
COMPLETE_ENDS = frozenset({"completed", "app_exit"})


class TraceEnd(_Record):
    """The last record of a trace that was closed on purpose or after a failure."""

    kind: Literal["end"] = "end"
    ts: float
    #: One of :data:`END_REASONS`; any other string is kept (a newer writer) and scored
    #: as an incomplete recording, never a pass.
    reason: str = Field(min_length=1, max_length=64)
    events: int = 0
    message: str | None = None


#: Records after the header that are pydantic models (a call is a msgspec struct).
ModelRecord = Annotated[Marker | TraceIssue | TraceEnd, Field(discriminator="kind")]
#: Any record of a trace.
TraceRecord = TraceHeader | CallEvent | Marker | TraceIssue | TraceEnd

_ENCODE = msgspec.json.Encoder().encode


def record_json(record: CallEvent | Marker | TraceIssue | TraceEnd | TraceHeader) -> bytes:
    """One record as its trace line (without the newline)."""
    if type(record) is CallEvent:
        return _ENCODE(record)
    return record.model_dump_json().encode()  # type: ignore[union-attr]
