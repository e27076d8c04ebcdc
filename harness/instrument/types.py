"""The instrument layer's own types: launch strategy, what it needs of a device, a writer
and a catalog, and what a launch reports (the hooks in, the clock offset)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from harness.instrument.messages import HookFailure
from harness.model import CallEvent, Marker, TraceEnd, TraceIssue

Record = CallEvent | Marker | TraceIssue
EndReason = str  # TraceEnd.reason: completed | app_exit | device_lost | error | interrupted


class Strategy(str, Enum):
    AUTO = "auto"  # debug-wait when the device says ro.harness.frida=local, else spawn
    SPAWN = "spawn"  # Frida spawns the app paused (real devices with frida-server)
    DEBUG_WAIT = "debug-wait"  # `am start -D`, attach, agent releases the gate


class DeviceLike(Protocol):
    """What this module needs of :class:`harness.device.Device`."""

    @property
    def serial(self) -> str: ...

    def props(self) -> Any: ...

    def start(
        self, package: str, activity: str | None = None, *, wait_debugger: bool = False
    ) -> Any: ...

    def pidof(self, package: str) -> int | None: ...

    def force_stop(self, package: str) -> Any: ...


class WriterLike(Protocol):
    """What this module needs of :class:`harness.tracefile.TraceWriter`."""

    def write(self, records: Iterable[Record]) -> None: ...

    def close(self, end: TraceEnd | None = None) -> None: ...


class CatalogLike(Protocol):
    @property
    def hash(self) -> str: ...

    def for_agent(self) -> list[dict[str, Any]]: ...

    def get(self, entry_id: str) -> Any: ...


@dataclass(frozen=True)
class HookReport:
    installed: list[str]
    failed: list[HookFailure]
    warnings: list[HookFailure]
    skipped: list[str]
    absent: list[str]
    ui_hooks: list[str]
    stack: str
    runtime: str


@dataclass(frozen=True)
class LaunchInfo:
    """Known once the agent is in; handed to a writer factory to build the trace header."""

    package: str
    serial: str
    pid: int
    strategy: Strategy
    frida_kind: str
    clock_offset_ms: float
    hooks: HookReport
    timings_ms: dict[str, float] = field(default_factory=dict)


WriterFactory = Callable[[LaunchInfo], WriterLike]

