"""What every step works with: the step context, the recorder it writes to, its errors,
and the screen primitives (read the UI, wait for something on it, tap it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.device import Device, DeviceLost
from harness.errors import HarnessError
from harness.model import Marker, MarkerKind
from harness.scenario import Scenario, StepBase
from harness.ui import ConsentMatchers, UiNode, UiTree, prompt_window

#: How often the UI is read while waiting for something to appear: soon after the wait
#: begins (a dialog often shows within a second of launch, a tapped screen within a few
#: hundred ms), then every POLL_S (each read costs the device a dump).
POLL_S = 0.4
FIRST_POLL_S = 0.05
#: Pause growth per second waited (0.05 s → POLL_S within ~1.4 s).
POLL_RAMP = 0.25


def poll_pause(waited: float) -> float:
    """The pause before the next UI read, ``waited`` seconds into a wait."""
    return min(POLL_S, FIRST_POLL_S + POLL_RAMP * max(waited, 0.0))


class StepFailed(HarnessError):
    """A step could not do what the scenario asked (a tap target never appeared…)."""

    exit_code = 1


class EyesLost(HarnessError):
    """The agent stopped watching while the app ran: the rest cannot be recorded."""


class Interrupted(HarnessError):
    """The run was interrupted (SIGINT/SIGTERM): the scenario stops where it is."""

    exit_code = 130


class Recorder(Protocol):
    """What the steps need from the instrumented app (a narrow view of it)."""

    def add_host_marker(
        self, kind: MarkerKind | str, detail: dict[str, Any] | None = None
    ) -> Marker: ...

    def device_ms(self) -> float: ...

    def flush(self) -> None: ...

    def wait(self, seconds: float) -> str: ...

    def relaunch(self, *, clear_data: bool) -> None: ...

    def exit_info(self) -> dict[str, Any] | None:
        """How the app ended on its own (``how``: exited | crashed | killed | ended), or
        None while it runs (or was stopped by the harness)."""
        ...


@dataclass
class StepContext:
    scenario: Scenario
    device: Device
    package: str
    recorder: Recorder
    matchers: ConsentMatchers
    screenshot: Callable[[str], None]
    log: Callable[[str], None]
    #: Whether the consent dialog was ever found on screen (by the host or the agent).
    #: Called after every step (the runner takes its first-violation screenshot there).
    after_step: Callable[[], None] = lambda: None
    #: Set by agree / refuse / withdraw: what phase new calls fall in, as far as the
    #: host knows (the scorer decides for real, from the trace).
    decision: str | None = None
    dialog_found: bool = False
    #: Set by the runner on SIGINT/SIGTERM: steps stop at the next check.
    cancel: threading.Event = field(default_factory=threading.Event)
    #: Writes a text file of evidence into the scenario's folder (name, text).
    save_text: Callable[[str, str], None] = lambda _name, _text: None
    _prompt_seen: bool = False



def step_mark(step: StepBase) -> dict[str, Any]:
    """Where a step is written, for its ``step`` marker: its line, and the flow file it
    came from when a ``run_flow`` brought it in (the line is then that file's)."""
    mark: dict[str, Any] = {"line": step.line}
    if step.flow_file is not None:
        mark["file"] = str(step.flow_file)
    return mark


def dump(ctx: StepContext, budget: float | None = None) -> UiTree | None:
    """The current screen, or None when the dump was unusable or the screen busy (retry
    on next poll); ``budget`` bounds the dump (a step never waits past its deadline)."""
    try:
        tree = ctx.device.dump_ui(budget=budget)
    except DeviceLost:
        raise
    except HarnessError as exc:
        ctx.log(f"UI dump unusable, retrying: {exc}")
        return None
    prompt = prompt_window(tree)
    if not ctx._prompt_seen and prompt is not None:
        ctx._prompt_seen = True
        ctx.recorder.add_host_marker(
            MarkerKind.PERMISSION_PROMPT,
            {"texts": prompt.texts()[:20], "package": prompt.package, "seen_by": "uiautomator"},
        )
    else:
        ctx._prompt_seen = prompt is not None
    return tree


def poll(ctx: StepContext, timeout: float, probe: Callable[[UiTree], Any]) -> Any:
    """Read the UI until ``probe`` returns something truthy, or ``timeout`` passes."""
    start = time.monotonic()
    deadline = start + timeout
    while True:
        if ctx.cancel.is_set():
            raise Interrupted("interrupted")
        tree = dump(ctx, budget=max(0.5, deadline - time.monotonic()))
        if tree is not None:
            found = probe(tree)
            if found:
                return found
        now = time.monotonic()
        if now >= deadline:
            return None
        time.sleep(min(poll_pause(now - start), deadline - now))


def covering_window(tree: UiTree, node: UiNode) -> UiNode | None:
    """The window on top of the one holding ``node``, if any: a tap would land there
    (a system permission prompt over the consent dialog, say), not on ``node``."""
    if not tree.roots:
        return None
    top = tree.roots[-1]
    if node is top or node.is_descendant_of(top):
        return None
    return top


def tap(ctx: StepContext, node: UiNode, why: str) -> float:
    """Tap a node's centre; returns the device time of the tap (ms)."""
    x, y = node.center
    before = ctx.recorder.device_ms()
    ctx.device.tap(x, y)
    ctx.recorder.add_host_marker(
        MarkerKind.HOST_ACTION,
        {"action": "tap", "why": why, "x": x, "y": y, "text": node.label,
         "resource_id": node.resource_id},
    )
    return before
