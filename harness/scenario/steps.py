"""Scenario steps: one pydantic model per step kind (DESIGN §4.4).

In YAML a step is a bare name (``- agree``), or a mapping with one key: the step's
name, whose value is the step's options (``- tap: {text: 设置}``) or, for steps that
have a *shorthand* option, that option's value alone (``- observe: 3``). The loader
(:mod:`harness.scenario.loader`) does that translation; the models here only hold the
options. ``kind`` is a class attribute; ``line`` is where the step starts in its file,
and ``flow_file`` the flow file it came from (``run_flow``; None for the scenario's own).
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from harness.scenario.keys import KEY_CODES, MAX_KEY_CODE, suggest_key

#: Longest wait a scenario may ask for, in seconds (a typo guard, not a policy).
MAX_SECONDS = 3600.0

Timeout = Annotated[
    float, Field(gt=0, le=MAX_SECONDS, description="seconds to wait; scenario default if unset")
]
Seconds = Annotated[float, Field(ge=0, le=MAX_SECONDS, description="seconds")]

_KEY_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class PermissionAnswer(str, Enum):
    """How to answer the system runtime-permission prompt."""

    ALLOW = "allow"
    DENY = "deny"
    #: Android 11+: "Only this time" (where the prompt offers it, else as ``allow``).
    ALLOW_ONCE = "allow_once"
    #: Android 12+ location prompts: choose "Approximate", then allow.
    ALLOW_APPROXIMATE = "allow_approximate"


#: How a step names a node: its whole label, or its resource id.
Label = Annotated[str, Field(min_length=1, description="the node's whole label")]
ResourceId = Annotated[str, Field(min_length=1, description="btn_ok or com.example:id/btn_ok")]


class StepBase(BaseModel):
    """Common part of every step."""

    model_config = ConfigDict(extra="forbid")

    kind: ClassVar[str]
    #: The option a scalar value fills (``observe: 3`` → ``seconds=3``), if any.
    shorthand: ClassVar[str | None] = None
    #: One YAML line showing the step, for error messages and the JSON Schema.
    example: ClassVar[str]

    _line: int = PrivateAttr(default=0)
    _flow_file: Path | None = PrivateAttr(default=None)

    @property
    def line(self) -> int:
        """1-based line of the step in its file (0 when built in code)."""
        return self._line

    @property
    def flow_file(self) -> Path | None:
        """The flow file (``run_flow``) holding this step; None when the step is written
        in the scenario file itself, whose ``line`` it is then."""
        return self._flow_file

    @property
    def where(self) -> str:
        """``line 7`` for a step of the scenario file, ``flows/login.flow.yaml:3`` for a
        step of a flow: how messages name the step."""
        if self._flow_file is None:
            return f"line {self._line}"
        return f"{self._flow_file}:{self._line}"

    def at(self, line: int, flow_file: Path | None = None) -> StepBase:
        """Set the source line (and flow file) — used by the loader; returns self."""
        self._line = line
        self._flow_file = flow_file
        return self


class WaitForConsentStep(StepBase):
    """Wait until the consent dialog is on screen (records ``consent_shown``)."""

    kind: ClassVar[str] = "wait_for_consent"
    example: ClassVar[str] = "wait_for_consent: {timeout: 15}"
    timeout: Timeout | None = None


class ObserveStep(StepBase):
    """Do nothing for a while and record what the app does."""

    kind: ClassVar[str] = "observe"
    shorthand: ClassVar[str | None] = "seconds"
    example: ClassVar[str] = "observe: 3"
    seconds: Seconds


class AgreeStep(StepBase):
    """Tap the consent dialog's agree button (records ``consent_granted``)."""

    kind: ClassVar[str] = "agree"
    example: ClassVar[str] = "agree"
    timeout: Timeout | None = None


class ReadPolicyStep(StepBase):
    """Open the privacy policy from the consent dialog's link, record its text (``policy.txt``
    in the run folder), and go back to the dialog (read by ``7.2/policy-unreadable``)."""

    kind: ClassVar[str] = "read_policy"
    example: ClassVar[str] = "read_policy: {timeout: 10}"
    timeout: Timeout | None = None


class RefuseStep(StepBase):
    """Tap the consent dialog's refuse button (records ``consent_refused``)."""

    kind: ClassVar[str] = "refuse"
    example: ClassVar[str] = "refuse"
    timeout: Timeout | None = None


class TapStep(StepBase):
    """Tap a node by its text or resource-id (waiting for it), or a screen point."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {"required": ["text"]},
                {"required": ["resource_id"]},
                {"required": ["point"]},
            ]
        },
    )
    kind: ClassVar[str] = "tap"
    example: ClassVar[str] = 'tap: {text: "设置"}'
    text: Label | None = None
    resource_id: ResourceId | None = None
    point: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]] | None = None
    timeout: Timeout | None = None

    @field_validator("point", mode="before")
    @classmethod
    def _xy(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, (list, tuple)) and len(value) == 2):
            raise PydanticCustomError("point", "expected [x, y]: two whole numbers (pixels)")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> TapStep:
        given = [n for n in ("text", "resource_id", "point") if getattr(self, n) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "tap_target",
                "give exactly one of text, resource_id or point (got {got})",
                {"got": ", ".join(given) or "none"},
            )
        return self


class _OnScreen(StepBase):
    """A node sought by its whole label (``text``, the shorthand) or its resource id."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["resource_id"]}]},
    )
    shorthand: ClassVar[str | None] = "text"
    text: Label | None = None
    resource_id: ResourceId | None = None
    timeout: Timeout | None = None

    @model_validator(mode="after")
    def _one_target(self) -> _OnScreen:
        given = [n for n in ("text", "resource_id") if getattr(self, n) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "target", "give exactly one of text or resource_id (got {got})",
                {"got": ", ".join(given) or "none"},
            )
        return self


class WaitForStep(_OnScreen):
    """Wait until a node is on screen (up to the ``ui`` timeout); a step fails without it."""

    kind: ClassVar[str] = "wait_for"
    example: ClassVar[str] = 'wait_for: {text: "今日推荐", timeout: 10}'


class AssertVisibleStep(_OnScreen):
    """The scenario fails unless the node is on screen within the timeout."""

    kind: ClassVar[str] = "assert_visible"
    example: ClassVar[str] = "assert_visible: 仅浏览模式"


class AssertNotVisibleStep(_OnScreen):
    """The scenario fails unless the node is off screen within the timeout (at once if
    it is not there)."""

    kind: ClassVar[str] = "assert_not_visible"
    example: ClassVar[str] = "assert_not_visible: 同意"


class InputTextStep(StepBase):
    """Type text into a field: tap the field first when ``text``/``resource_id`` names
    it, else type into the focused one. Printable ASCII only (Android's ``input text``)."""

    kind: ClassVar[str] = "input_text"
    shorthand: ClassVar[str | None] = "value"
    example: ClassVar[str] = 'input_text: {value: "hello", resource_id: feedback}'
    value: Annotated[str, Field(min_length=1, max_length=1000,
                                description="printable ASCII (Android's input text)")]
    text: Label | None = None
    resource_id: ResourceId | None = None
    timeout: Timeout | None = None

    @field_validator("value")
    @classmethod
    def _ascii(cls, value: str) -> str:
        bad = next((c for c in value if not " " <= c <= "~"), None)
        if bad is not None:
            raise PydanticCustomError(
                "ascii", "Android's `input text` types printable ASCII only, not {char}",
                {"char": repr(bad)})
        return value

    @model_validator(mode="after")
    def _one_field(self) -> InputTextStep:
        if self.text is not None and self.resource_id is not None:
            raise PydanticCustomError(
                "target", "give at most one of text or resource_id for the field")
        return self


class BackStep(StepBase):
    """Press BACK (as ``key: BACK``)."""

    kind: ClassVar[str] = "back"
    example: ClassVar[str] = "back"


class ScrollDirection(str, Enum):
    """Which way the content moves into view: ``down`` shows what is below (the finger
    drags up), ``up`` what is above."""

    DOWN = "down"
    UP = "up"


#: Most swipes one ``scroll`` step may make (a typo guard: a list that long wants a search).
MAX_SWIPES = 100


class ScrollStep(_OnScreen):
    """Swipe a scrollable view until a node is on screen: up to ``max_swipes`` swipes in
    ``direction`` inside the scrollable view (``within`` names it by resource id, else the
    largest one on screen). The scenario fails when the node does not show up, or the
    view stops moving (its end) first; ``timeout`` bounds each read of the screen."""

    kind: ClassVar[str] = "scroll"
    example: ClassVar[str] = 'scroll: {text: "Build number", direction: down, max_swipes: 10}'
    direction: ScrollDirection = ScrollDirection.DOWN
    max_swipes: Annotated[int, Field(ge=1, le=MAX_SWIPES, description="swipes at most")] = 10
    within: ResourceId | None = None


#: What a flow file's name ends with: ``run`` and ``pytest`` on a folder skip these files
#: (they hold steps, not scenarios), and ``run_flow`` names only these.
FLOW_SUFFIXES = (".flow.yaml", ".flow.yml")


class RunFlowStep(StepBase):
    """Play a flow file's steps here (a reusable sub-flow: a login, a path to settings).
    The loader reads the file (relative to the file naming it) and puts its steps in
    place of this one, so the runner never sees a ``run_flow``."""

    kind: ClassVar[str] = "run_flow"
    shorthand: ClassVar[str | None] = "file"
    example: ClassVar[str] = "run_flow: flows/login.flow.yaml"
    file: Annotated[str, Field(
        min_length=1, max_length=1024,
        description="a *.flow.yaml file, relative to the file that names it",
        json_schema_extra={"pattern": r"\.flow\.ya?ml$"})]

    @field_validator("file")
    @classmethod
    def _flow_name(cls, value: str) -> str:
        if not value.endswith(FLOW_SUFFIXES):
            stem = value.removesuffix(".yaml").removesuffix(".yml")
            raise PydanticCustomError(
                "flow_file",
                "flow files are named *.flow.yaml (so that `consent-harness run` and pytest "
                "on a folder do not read them as scenarios): rename {value} to {name}",
                {"value": repr(value), "name": repr(stem + ".flow.yaml")})
        return value


class PermissionsStep(StepBase):
    """Answer the system runtime-permission prompt."""

    kind: ClassVar[str] = "permissions"
    shorthand: ClassVar[str | None] = "answer"
    example: ClassVar[str] = "permissions: allow"
    answer: PermissionAnswer
    timeout: Timeout | None = None


class BackgroundStep(StepBase):
    """Press HOME, wait, and bring the app back."""

    kind: ClassVar[str] = "background"
    shorthand: ClassVar[str | None] = "seconds"
    example: ClassVar[str] = "background: 2"
    seconds: Seconds = 2.0


class RelaunchStep(StepBase):
    """Force-stop the app and start it again (keeping its data unless asked)."""

    kind: ClassVar[str] = "relaunch"
    example: ClassVar[str] = "relaunch"
    clear_data: bool = False


class WithdrawStep(StepBase):
    """Run the scripted path to the app's withdraw-consent UI, then record
    ``consent_withdrawn``."""

    kind: ClassVar[str] = "withdraw"
    shorthand: ClassVar[str | None] = "steps"
    example: ClassVar[str] = 'withdraw: [{tap: {text: "我的"}}, {tap: {text: "撤回同意"}}]'
    steps: list[Step] = Field(default_factory=list)


class KeyStep(StepBase):
    """Press a key (Android key name, KEYCODE_ prefix optional, or a key code)."""

    kind: ClassVar[str] = "key"
    shorthand: ClassVar[str | None] = "key"
    example: ClassVar[str] = "key: BACK"
    key: str

    @field_validator("key", mode="before")
    @classmethod
    def _key_name(cls, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_KEY_CODE:
            return str(value)
        if isinstance(value, str):
            given = value.strip().upper()
            name = given.removeprefix("KEYCODE_")
            if name.isascii() and name.isdigit() and given == name and len(name) <= 3:
                return name  # a key code
            code = KEY_CODES.get(name)
            if code is not None:
                # Names the device layer cannot spell (KEYCODE_5, 3D_MODE) go as codes.
                return name if _KEY_NAME.fullmatch(name) else str(code)
            close = suggest_key(name) if _KEY_NAME.fullmatch(name) else None
            if close is not None:
                raise PydanticCustomError(
                    "key_name",
                    "{value} is not an Android key name; did you mean {close}?",
                    {"value": repr(value), "close": close},
                )
        raise PydanticCustomError(
            "key_name",
            "{value} is not a key; expected an Android key name such as BACK, HOME, ENTER, "
            "MENU, APP_SWITCH (KEYCODE_ prefix optional) or a key code number",
            {"value": repr(value)},
        )


Step: TypeAlias = (
    WaitForConsentStep
    | ObserveStep
    | AgreeStep
    | RefuseStep
    | ReadPolicyStep
    | TapStep
    | PermissionsStep
    | BackgroundStep
    | RelaunchStep
    | WithdrawStep
    | KeyStep
    | WaitForStep
    | AssertVisibleStep
    | AssertNotVisibleStep
    | InputTextStep
    | BackStep
    | ScrollStep
)

#: Step name → model, in the order the documentation lists them.
STEP_TYPES: dict[str, type[StepBase]] = {
    cls.kind: cls
    for cls in (
        WaitForConsentStep,
        ObserveStep,
        AgreeStep,
        RefuseStep,
        ReadPolicyStep,
        TapStep,
        PermissionsStep,
        BackgroundStep,
        RelaunchStep,
        WithdrawStep,
        KeyStep,
        WaitForStep,
        AssertVisibleStep,
        AssertNotVisibleStep,
        InputTextStep,
        BackStep,
        ScrollStep,
        RunFlowStep,
    )
}

#: Steps the loader replaces while reading (never in a :class:`Scenario`'s steps).
LOAD_TIME_STEPS: frozenset[str] = frozenset({RunFlowStep.kind})

WithdrawStep.model_rebuild()
