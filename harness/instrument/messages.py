"""Messages of the agent protocol (DESIGN §4.2).

Everything the agent ``send()``s is one of :data:`AgentMessage`, a union tagged by
``type``. Inside an ``events`` batch, every item is a call, a marker or a network write,
again tagged by ``type``; each carries the per-agent sequence number ``seq`` (no gaps,
from 0). These are msgspec structs, decoded once per batch (:func:`parse_message`): the
host's hot path; the translator (:mod:`harness.instrument.translate`) turns the items
into trace records. What ``init`` returns is a pydantic model (read once per launch).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field

#: The protocol this host speaks; the agent's ``PROTOCOL`` must be equal.
PROTOCOL = 1


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Wire(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False,
            tag_field="type"):
    """A message or batch item as the agent sends it."""


class AgentCall(_Wire, frozen=True, tag="call"):
    """One observed call of a catalog API."""

    seq: int
    ts: float
    tid: int
    id: str
    thread: str | None = None
    overload: str = ""
    args: list[str] = []
    ret: str | None = None
    threw: str | None = None
    #: an id into the batch stacks (defined in this or an earlier batch), the frames
    #: themselves (a stack that could not be interned), or None (stacks off)
    stack: int | list[str] | None = None


class AgentMarker(_Wire, frozen=True, tag="marker"):
    """A UI moment the agent saw from inside the app."""

    seq: int
    kind: Literal[
        "hooks_ready", "dialog_shown", "view_clicked", "activity_resumed", "permission_prompt"
    ]
    ts: float
    tid: int
    thread: str | None = None
    detail: dict[str, Any] = {}


class AgentNet(_Wire, frozen=True, tag="net"):
    """One write of bytes leaving the app: an HTTP request (its bytes as written below it),
    a socket stream or native socket write, or TLS in clear (a Java stream, SSL_write)."""

    seq: int
    ts: float
    tid: int
    #: the hooked method (``java.net.Socket$SocketOutputStream.write``, ``libc.write``…)
    hook: str
    layer: Literal["socket", "tls", "http"]
    #: bytes the app wrote; ``payload`` holds the first of them (base64, capped)
    size: int
    thread: str | None = None
    #: the peer's name when the socket knows one without a lookup, and its address
    host: str | None = None
    address: str | None = None
    port: int | None = None
    local_port: int | None = None
    payload: str = ""
    threw: str | None = None
    stack: int | list[str] | None = None
    #: the request's URL, query values left out (``http`` items; a socket write of a body
    #: streamed after its request's headers names it too)
    url: str | None = None
    method: str | None = None
    #: an ``http`` request written over TLS
    secure: bool | None = None


AgentItem = AgentCall | AgentMarker | AgentNet


class EventsBatch(_Wire, frozen=True, tag="events"):
    #: batch number (from 0); item sequence numbers are inside the items
    seq: int
    pid: int
    events: list[AgentItem]
    #: stack id (as a string, JSON keys are) -> frames, innermost first
    stacks: dict[str, list[str]] | None = None


class AgentLog(_Wire, frozen=True, tag="log"):
    level: str
    message: str


class AgentError(_Wire, frozen=True, tag="error"):
    """A hook body (or a UI hook) failed; the original call went ahead."""

    source: str
    message: str
    stack: str | None = None
    count: int = 1
    detail: Any = None


class AgentDying(_Wire, frozen=True, tag="dying"):
    """The process is about to die (``via``: ``android.os.Process.killProcess``,
    ``java.lang.Runtime.exit`` / ``halt``, ``uncaught``). Sent right after the agent's
    last batch; the agent waits (bounded) for ``{"type": "ack", "token": token}``, which
    the host posts once everything before it is written."""

    token: int
    via: str
    ts: float
    detail: dict[str, Any] = {}


AgentMessage = EventsBatch | AgentLog | AgentError | AgentDying

#: What :func:`parse_message` raises on a payload that is not a message of this protocol.
MessageError = msgspec.ValidationError


def parse_message(payload: Any) -> AgentMessage:
    """Check and type one ``send()`` payload, as Frida hands it over (parsed JSON);
    raises :data:`MessageError` naming the field."""
    return msgspec.convert(payload, AgentMessage)  # type: ignore[arg-type]


class AgentConfig(msgspec.Struct, frozen=True, kw_only=True):
    """What ``init(config)`` takes (``harness/hooks/agent.js`` reads these names); sent
    as :meth:`to_agent` gives it. The last four are test seams: the shipped launch never
    sets them."""

    catalog: list[dict[str, Any]]
    #: The app's package: frames under it are the app's own (attribution, framework calls).
    app_package: str
    #: Release the debug-wait gate once the hooks are in (the debug-wait strategy).
    release_debugger: bool
    protocol: int = PROTOCOL
    #: Frames per call (True: 32; False or 0: no stacks).
    stack: bool | int = True
    #: A batch is sent at this many items, or after this many milliseconds.
    batch_max: int = 500
    batch_ms: int = 50
    #: The device's API level, for the entries' min_sdk/max_sdk (None: hook them all).
    sdk_int: int | None = None
    #: How stacks are taken: jvmti (the default, with throwable as fallback), throwable,
    #: or naive (Log.getStackTraceString; for benchmarks).
    stack_strategy: Literal["auto", "jvmti", "throwable", "naive"] | None = None
    #: Test seam: hook bodies of these entry ids raise, as a broken hook would.
    fail_ids: list[str] = []
    #: Test seams: leave out the UI, death or network hooks (or only the native network
    #: exits: libc and libssl).
    ui_markers: bool = True
    death_hooks: bool = True
    network_hooks: bool = True
    native_network_hooks: bool = True

    def to_agent(self) -> dict[str, Any]:
        """The config as the agent's ``init`` takes it (plain JSON values)."""
        out: dict[str, Any] = msgspec.to_builtins(self)
        return {k: v for k, v in out.items() if v is not None}  # unset: the agent's default


class HookFailure(_Msg):
    id: str
    error: str


class InitResult(_Msg):
    """What ``init(config)`` returns."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    protocol: int
    runtime: str
    pid: int
    installed: list[str]
    failed: list[HookFailure]
    #: overloads that are missing or failed while the entry has other overloads hooked
    warnings: list[HookFailure] = Field(default_factory=list)
    #: entries outside their min_sdk/max_sdk on this device: absent, not failed
    skipped: list[str] = Field(default_factory=list)
    #: entries on framework classes this process does not contain (not a blind spot)
    absent: list[str] = Field(default_factory=list)
    #: entries on classes an app ships (SDKs, androidx, gms/OAID) not found yet: hooked
    #: when a class loader that has them exists, reported in later hooks_ready markers
    pending: list[str] = Field(default_factory=list)
    #: the class-loader constructor hooked to catch new loaders (None: sweeps only)
    loader_hook: str | None = None
    ui_hooks: list[str] = Field(default_factory=list)
    #: death paths hooked so the tail is flushed first (killProcess, Runtime.exit…)
    death_hooks: list[str] = Field(default_factory=list)
    stack: str = "none"
    #: network hooks: {installed, failed, absent, layers, preexisting}; None when off
    network: dict[str, Any] | None = None
    daemon_attach: bool = False
    clock: float = 0.0
    install_ms: float = 0.0
