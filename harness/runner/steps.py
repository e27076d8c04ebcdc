"""Playing a scenario's steps on a device, like a user would.

The UI comes from ``uiautomator dump``; taps go through ``input``. Every step leaves a
``step`` marker; consent decisions leave host markers at the moment of the tap and,
when the agent saw the click inside the app, agent markers on the device clock.
A consent dialog that never appears is a finding for the rules, not a crash: the step
records ``happened: false`` with its ``line`` and a ``reason``, and the scenario goes on.
Every step marker says whether the step happened. After an app death the scenario did
not ask for (killed, crashed) no later step happens; after the app ended itself (as apps
do on refusal) ``observe`` still happens (a dead process collects nothing), steps that
need the app do not.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.device import Device, DeviceLost
from harness.errors import HarnessError
from harness.model import Marker, MarkerKind
from harness.scenario import (
    AgreeStep,
    BackgroundStep,
    KeyStep,
    ObserveStep,
    PermissionAnswer,
    PermissionsStep,
    RefuseStep,
    RelaunchStep,
    Scenario,
    StepBase,
    TapStep,
    WaitForConsentStep,
    WithdrawStep,
)
from harness.ui import ConsentMatchers, TextMatcher, UiNode, UiTree, find_consent

#: How often the UI is read while waiting for something to appear.
POLL_S = 0.4
#: An agent click this long before the host's tap still belongs to it (clock skew, the
#: click being delivered before ``input tap`` returns).
CLICK_SLACK_MS = 1500.0

PERMISSION_PACKAGE = "com.android.permissioncontroller"
#: After answering a permission prompt, how long another one may take to follow.
NEXT_PROMPT_S = 1.5
MAX_PROMPTS = 10
_ALLOW_ID = re.compile(r":id/permission_allow(_foreground_only|_one_time)?_button$")
_DENY_ID = re.compile(r":id/permission_deny(_and_dont_ask_again)?_button$")
_ALLOW_TEXT = re.compile(
    r"^(allow|while using the app|only this time|允许|仅在使用中允许|始终允许)$", re.I
)
_DENY_TEXT = re.compile(r"^(deny|don.t allow|拒绝|不允许)$", re.I)


class StepFailed(HarnessError):
    """A step could not do what the scenario asked (a tap target never appeared…)."""

    exit_code = 1


class EyesLost(HarnessError):
    """The agent stopped watching while the app ran: the rest cannot be recorded."""


class Interrupted(HarnessError):
    """The run was interrupted (SIGINT/SIGTERM): the scenario stops where it is."""

    exit_code = 130


@dataclass
class AgentMarkers:
    """Agent UI markers as they stream in (appended by the instrumentation's consumer
    thread, read by the step thread after a flush)."""

    _items: list[Marker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, marker: Marker) -> None:
        with self._lock:
            self._items.append(marker)

    def since(self, ts: float, kind: MarkerKind) -> list[Marker]:
        with self._lock:
            return [m for m in self._items if m.marker is kind and m.ts >= ts]


class Recorder(Protocol):
    """What the steps need from the instrumented app (a narrow view of it)."""

    def add_host_marker(
        self, kind: MarkerKind | str, detail: dict[str, Any] | None = None
    ) -> Marker: ...

    def add_agent_marker(self, marker: Marker) -> None: ...

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
    agent: AgentMarkers
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
    _prompt_seen: bool = False
    _agent_dialog_seen: bool = False


#: Steps that still happen after the app ended itself: watching a dead process.
_AFTER_OWN_EXIT = frozenset({"observe", "relaunch"})


def run_steps(ctx: StepContext, steps: list[StepBase]) -> None:
    for step in steps:
        if ctx.cancel.is_set():
            raise Interrupted("interrupted")
        ctx.log(f"step {step.kind} (line {step.line})")
        exited = ctx.recorder.exit_info()
        if exited is not None and not (
            exited.get("how") == "exited" and step.kind in _AFTER_OWN_EXIT
        ):
            _not_happened(ctx, step, f"the app had died ({_how(exited)}) before this step")
            continue
        _STEPS[type(step)](ctx, step)
        ctx.after_step()


def _how(exit_info: dict[str, Any]) -> str:
    how = str(exit_info.get("how", "ended"))
    via = exit_info.get("via")
    return f"{how}: {via}" if via else how


def _not_happened(ctx: StepContext, step: StepBase, reason: str) -> None:
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": step.kind, "line": step.line, "happened": False, "reason": reason})
    ctx.log(f"step {step.kind} (line {step.line}) did not happen: {reason}")


def conclude(ctx: StepContext) -> None:
    """After the last step: a consent dialog the agent saw but no step looked for (an
    ``observe``-only scenario) is still a ``consent_shown`` on the timeline."""
    _agent_dialog(ctx, float("-inf"))


# ----------------------------------------------------------------------------- UI


def _dump(ctx: StepContext) -> UiTree | None:
    """The current screen, or None when the dump was unusable (retry on next poll)."""
    try:
        tree = ctx.device.dump_ui()
    except DeviceLost:
        raise
    except HarnessError as exc:
        ctx.log(f"UI dump unusable, retrying: {exc}")
        return None
    if not ctx._prompt_seen and PERMISSION_PACKAGE in tree.packages():
        ctx._prompt_seen = True
        ctx.recorder.add_host_marker(
            MarkerKind.PERMISSION_PROMPT, {"texts": tree.texts()[:20], "seen_by": "uiautomator"}
        )
    else:
        ctx._prompt_seen = PERMISSION_PACKAGE in tree.packages()
    return tree


def _poll(ctx: StepContext, timeout: float, probe: Callable[[UiTree], Any]) -> Any:
    """Read the UI until ``probe`` returns something truthy, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        if ctx.cancel.is_set():
            raise Interrupted("interrupted")
        tree = _dump(ctx)
        if tree is not None:
            found = probe(tree)
            if found:
                return found
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_S)


def covering_window(tree: UiTree, node: UiNode) -> UiNode | None:
    """The window on top of the one holding ``node``, if any: a tap would land there
    (a system permission prompt over the consent dialog, say), not on ``node``."""
    if not tree.roots:
        return None
    top = tree.roots[-1]
    if node is top or node.is_descendant_of(top):
        return None
    return top


def _tap(ctx: StepContext, node: UiNode, why: str) -> float:
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


def _agent_click(ctx: StepContext, since_ms: float, matcher: TextMatcher) -> Marker | None:
    """The agent's own record of the click on a matching view, if it saw one."""
    ctx.recorder.flush()
    for marker in ctx.agent.since(since_ms - CLICK_SLACK_MS, MarkerKind.VIEW_CLICKED):
        text = marker.detail.get("text")
        if isinstance(text, str) and _text_matches(matcher, text):
            return marker
    return None


def _text_matches(matcher: TextMatcher, text: str) -> bool:
    """A label the agent reported, judged as the UI matchers judge a node's label."""
    norm = " ".join(text.split())
    return bool(matcher.pattern.search(norm) or matcher.pattern.search(norm.replace(" ", "")))


# -------------------------------------------------------------------------- steps


def _wait_for_consent(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, WaitForConsentStep)
    timeout = ctx.scenario.timeout_for(step)
    since = ctx.recorder.device_ms()
    dialog = _poll(ctx, timeout, lambda tree: find_consent(tree, ctx.matchers))
    detail: dict[str, Any] = {"step": "wait_for_consent", "line": step.line, "found": bool(dialog),
                              "happened": bool(dialog)}
    if dialog is None:
        detail["reason"] = f"no consent dialog within {timeout:g}s"
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        ctx.log(detail["reason"])
        return
    ctx.dialog_found = True
    ctx.recorder.add_host_marker(
        MarkerKind.CONSENT_SHOWN, {"texts": dialog.texts[:30], "package": dialog.package}
    )
    _agent_dialog(ctx, since)
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
    ctx.screenshot("dialog.png")


def _agent_dialog(ctx: StepContext, since_ms: float) -> None:
    """Give ``consent_shown`` the device-clock time of the agent's ``dialog_shown``."""
    if ctx._agent_dialog_seen:
        return
    ctx.recorder.flush()
    for marker in ctx.agent.since(since_ms - 60_000, MarkerKind.DIALOG_SHOWN):
        texts = [t for t in marker.detail.get("texts", []) if isinstance(t, str)]
        if any(_text_matches(ctx.matchers.dialog, t) for t in texts):
            ctx._agent_dialog_seen = True
            ctx.recorder.add_agent_marker(
                Marker(marker=MarkerKind.CONSENT_SHOWN, ts=marker.ts, source="agent",
                       seq=marker.seq, detail={"texts": texts[:30], "from": "dialog_shown"})
            )
            return


def _decide(ctx: StepContext, step: StepBase, *, agree: bool) -> None:
    name = "agree" if agree else "refuse"
    timeout = ctx.scenario.timeout_for(step)
    matcher = ctx.matchers.agree if agree else ctx.matchers.refuse
    since = ctx.recorder.device_ms()

    covered: list[str] = []

    def button(tree: UiTree) -> UiNode | None:
        dialog = find_consent(tree, ctx.matchers)
        if dialog is None:
            return None
        found = dialog.agree if agree else dialog.refuse
        if found is not None:
            cover = covering_window(tree, found)
            if cover is not None:
                covered[:] = [cover.package or "another window"]
                return None
        return found

    node = _poll(ctx, timeout, button)
    detail: dict[str, Any] = {"step": name, "line": step.line, "found": node is not None,
                              "happened": node is not None}
    if node is None and covered:
        detail["reason"] = (
            f"the consent dialog's {name} button stayed covered by a window of {covered[0]} "
            f"for {timeout:g}s; answer it first (e.g. a `permissions: deny` step)"
        )
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        ctx.log(detail["reason"])
        return
    if node is None:
        detail["reason"] = f"no consent dialog with a {name} button within {timeout:g}s"
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        ctx.log(detail["reason"])
        return
    if not ctx.dialog_found:
        ctx.dialog_found = True
        ctx.recorder.add_host_marker(MarkerKind.CONSENT_SHOWN, {"texts": [node.label]})
        _agent_dialog(ctx, since)
        ctx.screenshot("dialog.png")
    kind = MarkerKind.CONSENT_GRANTED if agree else MarkerKind.CONSENT_REFUSED
    ctx.decision = "agree" if agree else "refuse"
    tapped = _tap(ctx, node, name)
    ctx.recorder.add_host_marker(kind, {"text": node.label, "via": "input tap"})
    click = _agent_click(ctx, tapped, matcher)
    if click is not None:
        ctx.recorder.add_agent_marker(
            Marker(marker=kind, ts=click.ts, source="agent", seq=click.seq,
                   detail={"text": click.detail.get("text"), "from": "view_clicked"})
        )
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _agree(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, AgreeStep)
    _decide(ctx, step, agree=True)


def _refuse(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, RefuseStep)
    _decide(ctx, step, agree=False)


def _watch(ctx: StepContext, step: StepBase, seconds: float, what: str) -> dict[str, Any]:
    """Wait ``seconds`` while the app is observed; the step marker's detail."""
    detail: dict[str, Any] = {"step": step.kind, "line": step.line, "seconds": seconds,
                              "happened": True}
    if ctx.recorder.exit_info() is not None:
        detail["app_exited"] = True  # watching an app that ended itself: nothing to miss
        return detail
    started = time.monotonic()
    outcome = ctx.recorder.wait(seconds)
    if outcome == "cancelled":
        raise Interrupted("interrupted")
    if outcome == "device_lost":
        raise DeviceLost(f"{ctx.device.serial}: device lost while {what}")
    if outcome == "eyes_lost":
        raise EyesLost(f"line {step.line}: the agent stopped watching while {what}")
    if outcome == "app_exit":
        exited = ctx.recorder.exit_info() or {"how": "ended"}
        detail["app_exited"] = True
        if exited.get("how") != "exited":
            detail["happened"] = False
            detail["reason"] = (f"cut short after {time.monotonic() - started:.1f}s of "
                                f"{seconds:g}s: the app died ({_how(exited)})")
        ctx.log(f"the app ended while {what} ({_how(exited)})")
    return detail


def _observe(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, ObserveStep)
    detail = _watch(ctx, step, float(step.seconds), "observing")
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _tap_step(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, TapStep)
    detail: dict[str, Any] = {"step": "tap", "line": step.line}
    if step.point is not None:
        x, y = step.point
        ctx.device.tap(x, y)
        detail.update(x=x, y=y)
        ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {"action": "tap", "x": x, "y": y})
        detail["happened"] = True
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        return
    if step.text is not None:
        matcher = TextMatcher.exact(step.text)
        detail["text"] = step.text
    else:
        assert step.resource_id is not None
        matcher = TextMatcher.resource_id(step.resource_id)
        detail["resource_id"] = step.resource_id
    timeout = ctx.scenario.timeout_for(step)
    node = _poll(ctx, timeout, lambda tree: tree.find_first(matcher))
    if node is None:
        what = detail.get("text") or detail.get("resource_id")
        raise StepFailed(
            f"line {step.line}: tap: nothing matching {what!r} on screen within {timeout:g}s"
        )
    _tap(ctx, node, "tap step")
    detail["happened"] = True
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _permissions(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, PermissionsStep)
    allow = step.answer is PermissionAnswer.ALLOW
    rid, text = (_ALLOW_ID, _ALLOW_TEXT) if allow else (_DENY_ID, _DENY_TEXT)

    def button(tree: UiTree) -> UiNode | None:
        for node in tree.iter():
            if node.package != PERMISSION_PACKAGE:
                continue
            if rid.search(node.resource_id or "") or text.match(node.label.strip()):
                return node
        return None

    timeout = ctx.scenario.timeout_for(step)
    node = _poll(ctx, timeout, button)
    detail: dict[str, Any] = {"step": "permissions", "line": step.line,
                              "answer": step.answer.value, "found": node is not None,
                              "happened": node is not None}
    if node is None:
        detail["reason"] = f"no permission prompt within {timeout:g}s"
        ctx.log(detail["reason"])
    answered = 0
    while node is not None:
        # One request can raise several prompts in a row (one per permission group, or
        # per permission): a user answers each of them, and so does this step.
        _tap(ctx, node, f"permission {step.answer.value}")
        ctx.recorder.add_host_marker(MarkerKind.PERMISSION_RESULT,
                                     {"answer": step.answer.value, "text": node.label})
        answered += 1
        node = _poll(ctx, NEXT_PROMPT_S, button) if answered < MAX_PROMPTS else None
    detail["prompts"] = answered
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _background(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, BackgroundStep)
    ctx.device.key("HOME")
    detail = _watch(ctx, step, float(step.seconds), "the app was in the background")
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
    if ctx.recorder.exit_info() is None:
        ctx.device.start(ctx.package)


def _relaunch(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, RelaunchStep)
    ctx.recorder.add_host_marker(MarkerKind.STEP, {"step": "relaunch", "line": step.line,
                                                   "clear_data": step.clear_data,
                                                   "happened": True})
    ctx.recorder.relaunch(clear_data=step.clear_data)
    ctx.dialog_found = False


def _withdraw(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, WithdrawStep)
    detail: dict[str, Any] = {"step": "withdraw", "line": step.line}
    try:
        run_steps(ctx, list(step.steps))
    except StepFailed as exc:
        detail.update(found=False, happened=False, reason=str(exc))
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        ctx.log(f"withdraw path failed: {exc}")
        return
    ctx.recorder.add_host_marker(MarkerKind.CONSENT_WITHDRAWN, {"via": "scripted path"})
    ctx.decision = "refuse"
    detail["found"] = detail["happened"] = True
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _key(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, KeyStep)
    ctx.device.key(step.key)
    ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {"action": "key", "key": step.key})
    ctx.recorder.add_host_marker(MarkerKind.STEP, {"step": "key", "line": step.line,
                                                   "key": step.key, "happened": True})


_STEPS: dict[type[StepBase], Callable[[StepContext, StepBase], None]] = {
    WaitForConsentStep: _wait_for_consent,
    AgreeStep: _agree,
    RefuseStep: _refuse,
    ObserveStep: _observe,
    TapStep: _tap_step,
    PermissionsStep: _permissions,
    BackgroundStep: _background,
    RelaunchStep: _relaunch,
    WithdrawStep: _withdraw,
    KeyStep: _key,
}

__all__ = [
    "AgentMarkers", "EyesLost", "Interrupted", "Recorder", "StepContext", "StepFailed",
    "conclude", "run_steps",
]
