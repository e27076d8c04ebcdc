"""Factories for traces — a test seam that ships with the package.

Build a trace in a few readable lines, then score it or write it to disk::

    from harness.testing import TraceBuilder

    trace = (
        TraceBuilder()
        .header(app="com.example.news", scope=["location"])
        .marker("consent_shown", at=0)
        .call("telephony.imei", at=100, sdk="com.example.ads")   # before consent
        .grant(at=1000)
        .call("location.last_known", at=1500)
        .build()
    )
    report = harness.scoring.score(trace)

Times (``at``) are milliseconds from the start of the recording; the builder adds
:data:`T0` so the records carry realistic device-clock timestamps. Calls and agent
markers get consecutive sequence numbers like a real agent's. A call's category comes
from the shipped catalog (pass ``category=`` for an id the catalog does not have). The
trace ends with a ``completed`` end record unless :meth:`TraceBuilder.end` says
otherwise (``end(None)`` leaves it open, like a crashed recording).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from harness import __version__
from harness.catalog import load_catalog
from harness.model.enums import Category, MarkerKind
from harness.model.trace import (
    AppInfo,
    CallEvent,
    Marker,
    ScenarioRef,
    TraceEnd,
    TraceHeader,
    TraceIssue,
)
from harness.tracefile.memory import BodyRecord, MemoryTrace
from harness.tracefile.writer import TraceWriter

#: Device-clock time of ``at=0`` (ms since the epoch; 2023-11-14).
T0 = 1_700_000_000_000.0
_UNSET: Any = object()
_EndReason = Literal["completed", "app_exit", "device_lost", "error", "interrupted"]


def default_stack(api: str, sdk: str | None, app: str) -> list[str]:
    """A plausible stack, innermost first: the hooked framework method, the caller's
    frame (``sdk`` package, else the app's own code), then the main looper."""
    owner = sdk or app
    caller = owner.rsplit(".", 1)[-1].capitalize() or "Main"
    return [
        f"android.framework.Hooked.{api.replace('.', '_')}(Hooked.java:1)",
        f"{owner}.{caller}Core.collect({caller}Core.java:42)",
        f"{owner}.{caller}Core.init({caller}Core.java:17)",
        "android.os.Handler.dispatchMessage(Handler.java:106)",
        "android.os.Looper.loop(Looper.java:223)",
    ]


class TraceBuilder:
    """Fluent builder of :class:`~harness.tracefile.MemoryTrace` objects (module doc)."""

    def __init__(self) -> None:
        self._header = TraceHeader(
            created_at="2023-11-14T22:13:20Z",
            harness_version=__version__,
            app=AppInfo(package="com.example.app"),
            catalog_hash="test",
            redacted=False,
        )
        self._body: list[BodyRecord] = []
        self._seq = 0
        self._end: TraceEnd | None = _UNSET
        self._last = 0.0

    # -- header -----------------------------------------------------------------------
    def header(
        self,
        *,
        app: str | None = None,
        scope: Iterable[Category | str] | None = _UNSET,
        scenario: str | None = _UNSET,
        rule_options: dict[str, dict[str, Any]] | None = None,
        **fields: Any,
    ) -> TraceBuilder:
        """Set header fields: ``app`` (package), ``scope``, ``scenario`` (name; with
        ``rule_options``, the scenario's options for the rules), or any other
        :class:`TraceHeader` field by name."""
        update: dict[str, Any] = dict(fields)
        if app is not None:
            update["app"] = AppInfo(package=app)
        if scope is not _UNSET:
            update["scope"] = None if scope is None else [Category(c) for c in scope]
        if scenario is not _UNSET:
            update["scenario"] = (
                None if scenario is None else ScenarioRef(name=scenario, options=rule_options)
            )
        self._header = TraceHeader.model_validate({**self._header.model_dump(), **update})
        return self

    @property
    def app(self) -> str:
        return self._header.app.package

    # -- records ----------------------------------------------------------------------
    def call(
        self,
        api: str,
        *,
        at: float,
        category: Category | str | None = None,
        stack: list[str] | None = None,
        sdk: str | None = None,
        args: list[str] | None = None,
        ret: str | None = None,
        threw: str | None = None,
        thread: str = "main",
        seq: int | None = None,
        framework: bool = False,
    ) -> TraceBuilder:
        """A call of catalog entry ``api`` at ``at`` ms; ``sdk`` (a package) makes a
        default stack blaming that package, ``stack`` gives frames outright;
        ``framework``: the device's own code made the call (``CallEvent.framework``)."""
        if category is None:
            entry = load_catalog().get(api)
            if entry is None:
                raise ValueError(f"{api!r} is not in the catalog: pass category=")
            category = entry.category
        self._body.append(
            CallEvent(
                seq=self._next_seq(seq),
                ts=T0 + at,
                pid=4242,
                tid=1 if thread == "main" else 2,
                thread=thread,
                api=api,
                category=Category(category),
                overload="",
                args=list(args or []),
                ret=ret,
                threw=threw,
                stack=stack if stack is not None else default_stack(api, sdk, self.app),
                framework=framework,
            )
        )
        self._last = max(self._last, at)
        return self

    def marker(
        self,
        kind: MarkerKind | str,
        *,
        at: float,
        source: Literal["agent", "host"] = "agent",
        seq: int | None = None,
        **detail: Any,
    ) -> TraceBuilder:
        """A marker; agent markers get the next sequence number unless ``seq`` is given."""
        number = self._next_seq(seq) if source == "agent" else seq
        self._body.append(
            Marker(marker=MarkerKind(kind), ts=T0 + at, source=source, seq=number, detail=detail)
        )
        self._last = max(self._last, at)
        return self

    def shown(self, *, at: float, source: Literal["agent", "host"] = "agent") -> TraceBuilder:
        return self.marker(MarkerKind.CONSENT_SHOWN, at=at, source=source)

    def grant(self, *, at: float, source: Literal["agent", "host"] = "agent") -> TraceBuilder:
        return self.marker(MarkerKind.CONSENT_GRANTED, at=at, source=source)

    def refuse(self, *, at: float, source: Literal["agent", "host"] = "agent") -> TraceBuilder:
        return self.marker(MarkerKind.CONSENT_REFUSED, at=at, source=source)

    def withdraw(self, *, at: float, source: Literal["agent", "host"] = "host") -> TraceBuilder:
        return self.marker(MarkerKind.CONSENT_WITHDRAWN, at=at, source=source)

    def step(self, name: str, *, at: float, **detail: Any) -> TraceBuilder:
        """A host ``step`` marker, e.g. ``step("refuse", at=…, ok=False, message=…)``."""
        return self.marker(MarkerKind.STEP, at=at, source="host", step=name, **detail)

    def hooks_ready(self, *, at: float = 0, failed: list[Any] | None = None) -> TraceBuilder:
        return self.marker(MarkerKind.HOOKS_READY, at=at, failed=list(failed or []))

    def issue(
        self,
        code: str,
        *,
        at: float,
        level: Literal["warning", "error"] = "error",
        message: str = "",
        **detail: Any,
    ) -> TraceBuilder:
        self._body.append(
            TraceIssue(ts=T0 + at, level=level, code=code, message=message or code, detail=detail)
        )
        return self

    def end(
        self,
        reason: _EndReason | None = "completed",
        *,
        at: float | None = None,
        message: str | None = None,
    ) -> TraceBuilder:
        """How the trace ends; ``None`` leaves it without an end record."""
        self._end = (
            None
            if reason is None
            else TraceEnd(
                ts=T0 + (self._last if at is None else at), reason=reason, message=message
            )
        )
        return self

    def _next_seq(self, seq: int | None) -> int:
        if seq is None:
            seq = self._seq
        self._seq = seq + 1
        return seq

    # -- results ----------------------------------------------------------------------
    def records(self) -> list[BodyRecord]:
        """The body records, end record included (if any)."""
        end = TraceEnd(ts=T0 + self._last, reason="completed") if self._end is _UNSET else self._end
        calls = sum(isinstance(r, CallEvent) for r in self._body)
        if end is not None and end.events == 0:
            end = end.model_copy(update={"events": calls})
        return [*self._body, *([end] if end is not None else [])]

    def build(self) -> MemoryTrace:
        return MemoryTrace(header=self._header, body=tuple(self.records()))

    def write(
        self,
        path: str | Path,
        *,
        reveal_values: bool = True,
        salt: bytes | str | None = None,
    ) -> Path:
        """Write through the real :class:`TraceWriter` (values kept unless asked)."""
        path = Path(path)
        records = self.records()
        end = records[-1] if records and isinstance(records[-1], TraceEnd) else None
        body = records[:-1] if end is not None else records
        writer = TraceWriter(path, self._header, reveal_values=reveal_values, salt=salt)
        writer.write(r for r in body if not isinstance(r, TraceEnd))
        if end is not None:
            writer.close(end)
        else:
            writer.abandon()
        return path
