"""Messages of the agent protocol (DESIGN §4.2), as pydantic models.

Everything the agent ``send()``s is one of :data:`AgentMessage`, a discriminated union
on ``type``. Inside an ``events`` batch, every item is a call or a marker, again tagged
by ``type``; both carry the per-agent sequence number ``seq`` (no gaps, from 0).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

#: The protocol this host speaks; the agent's ``PROTOCOL`` must be equal.
PROTOCOL = 1


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgentCall(_Msg):
    """One observed call of a catalog API."""

    type: Literal["call"]
    seq: int
    ts: float
    tid: int
    thread: str | None = None
    id: str
    overload: str = ""
    args: list[str] = Field(default_factory=list)
    ret: str | None = None
    threw: str | None = None
    #: an id into the batch stacks (defined in this or an earlier batch), the frames
    #: themselves (a stack that could not be interned), or None (stacks off)
    stack: int | list[str] | None = None


class AgentMarker(_Msg):
    """A UI moment the agent saw from inside the app."""

    type: Literal["marker"]
    seq: int
    kind: Literal[
        "hooks_ready", "dialog_shown", "view_clicked", "activity_resumed", "permission_prompt"
    ]
    ts: float
    tid: int
    thread: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class AgentNet(_Msg):
    """One write of bytes leaving the app (a socket stream, or a TLS stream in clear)."""

    type: Literal["net"]
    seq: int
    ts: float
    tid: int
    thread: str | None = None
    #: the hooked method (``java.net.Socket$SocketOutputStream.write``…)
    hook: str
    layer: Literal["socket", "tls"]
    #: the peer's name when the socket knows one without a lookup, and its address
    host: str | None = None
    address: str | None = None
    port: int | None = None
    local_port: int | None = None
    #: bytes the app wrote; ``payload`` holds the first of them (base64, capped)
    size: int
    payload: str = ""
    threw: str | None = None
    stack: int | list[str] | None = None


AgentItem = Annotated[AgentCall | AgentMarker | AgentNet, Field(discriminator="type")]


class EventsBatch(_Msg):
    type: Literal["events"]
    #: batch number (from 0); item sequence numbers are inside the items
    seq: int
    pid: int
    events: list[AgentItem]
    #: stack id (as a string, JSON keys are) -> frames, innermost first
    stacks: dict[str, list[str]] | None = None


class AgentLog(_Msg):
    type: Literal["log"]
    level: str
    message: str


class AgentError(_Msg):
    """A hook body (or a UI hook) failed; the original call went ahead."""

    type: Literal["error"]
    source: str
    message: str
    stack: str | None = None
    count: int = 1
    detail: Any = None


class AgentDying(_Msg):
    """The process is about to die (``via``: ``android.os.Process.killProcess``,
    ``java.lang.Runtime.exit`` / ``halt``, ``uncaught``). Sent right after the agent's
    last batch; the agent waits (bounded) for ``{"type": "ack", "token": token}``, which
    the host posts once everything before it is written."""

    type: Literal["dying"]
    token: int
    via: str
    ts: float
    detail: dict[str, Any] = Field(default_factory=dict)


AgentMessage = Annotated[
    EventsBatch | AgentLog | AgentError | AgentDying, Field(discriminator="type")
]

_MESSAGE = TypeAdapter(AgentMessage)


def parse_message(payload: Any) -> EventsBatch | AgentLog | AgentError | AgentDying:
    """Validate one ``send()`` payload (raises pydantic.ValidationError)."""
    return _MESSAGE.validate_python(payload)


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
    #: entries whose class this process does not contain (an SDK the app lacks)
    absent: list[str] = Field(default_factory=list)
    ui_hooks: list[str] = Field(default_factory=list)
    #: death paths hooked so the tail is flushed first (killProcess, Runtime.exit…)
    death_hooks: list[str] = Field(default_factory=list)
    stack: str = "none"
    #: network hooks: {installed, failed, absent, layers, preexisting}; None when off
    network: dict[str, Any] | None = None
    daemon_attach: bool = False
    clock: float = 0.0
    install_ms: float = 0.0
