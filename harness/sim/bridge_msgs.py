"""Bridge protocol messages (app ⇄ device), validated: the app is untrusted."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from harness.sim.windows import Window


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Hello(_Msg):
    t: Literal["hello"]
    pkg: str = Field(max_length=255)
    pid: int
    #: a process of the app other than its main one (``pkg:push``); absent for the main one
    process: str | None = Field(None, max_length=300)


class Windows(_Msg):
    t: Literal["windows"]
    windows: list[Window] = Field(max_length=64)
    #: an animation runs in the process (a splash ad, a spinner): its frames are a stream
    #: of accessibility events, so ``uiautomator dump`` cannot get an idle state meanwhile
    animating: bool = False
    #: the sequence number of the last device input (``swipe``) the app had handled when it
    #: drew these windows: ``input swipe`` returns once it is acknowledged
    input: int = 0


class Log(_Msg):
    t: Literal["log"]
    level: str = Field(default="I", max_length=8)
    tag: str = Field(default="", max_length=200)
    msg: str = Field(default="", max_length=64000)


class PermRequest(_Msg):
    t: Literal["perm_request"]
    req: int
    perms: list[str] = Field(max_length=64)


class Install(_Msg):
    t: Literal["install"]
    package: str = Field(default="", max_length=255)
    source: str = Field(default="", max_length=2000)


class StartService(_Msg):
    """``Context.startService`` of a service declared in another process of the app."""

    t: Literal["start_service"]
    service: str = Field(max_length=255)
    process: str = Field(max_length=300)
    extras: dict[str, str] = Field(default_factory=dict, max_length=64)


AppMessage = Annotated[Hello | Windows | Log | PermRequest | Install | StartService,
                       Field(discriminator="t")]
APP_MESSAGE: TypeAdapter[Hello | Windows | Log | PermRequest | Install | StartService] = (
    TypeAdapter(AppMessage))
