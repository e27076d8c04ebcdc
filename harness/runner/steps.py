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

import time
from collections.abc import Callable
from typing import Any

from harness.device import DeviceLost
from harness.model import MarkerKind
from harness.runner.consent_steps import agree, read_policy, refuse, wait_for_consent
from harness.runner.context import (
    EyesLost,
    Interrupted,
    Recorder,
    StepContext,
    StepFailed,
    covering_window,
    dump,
    poll,
    step_mark,
    tap,
)
from harness.runner.screen_steps import (
    assert_not_visible,
    assert_visible,
    back,
    input_text,
    scroll,
    wait_for,
)
from harness.scenario import (
    AgreeStep,
    AssertNotVisibleStep,
    AssertVisibleStep,
    BackgroundStep,
    BackStep,
    InputTextStep,
    KeyStep,
    ObserveStep,
    PermissionAnswer,
    PermissionsStep,
    ReadPolicyStep,
    RefuseStep,
    RelaunchStep,
    ScrollStep,
    StepBase,
    TapStep,
    WaitForConsentStep,
    WaitForStep,
    WithdrawStep,
)
from harness.ui import TextMatcher, UiNode, UiTree, allow_button, deny_button, location_accuracy

#: After answering a permission prompt, how long another one may take to follow.
NEXT_PROMPT_S = 1.5
MAX_PROMPTS = 10


#: Steps that still happen after the app ended itself: watching a dead process.
_AFTER_OWN_EXIT = frozenset({"observe", "relaunch"})


def run_steps(ctx: StepContext, steps: list[StepBase]) -> None:
    for step in steps:
        if ctx.cancel.is_set():
            raise Interrupted("interrupted")
        ctx.log(f"step {step.kind} ({step.where})")
        exited = ctx.recorder.exit_info()
        if exited is not None and not (
            exited.get("how") == "exited" and step.kind in _AFTER_OWN_EXIT
        ):
            _not_happened(ctx, step, f"the app had died ({exit_how(exited)}) before this step")
            continue
        _STEPS[type(step)](ctx, step)
        ctx.after_step()


def exit_how(exit_info: dict[str, Any]) -> str:
    how = str(exit_info.get("how", "ended"))
    via = exit_info.get("via")
    return f"{how}: {via}" if via else how


def _not_happened(ctx: StepContext, step: StepBase, reason: str) -> None:
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": step.kind, **step_mark(step), "happened": False, "reason": reason})
    ctx.log(f"step {step.kind} ({step.where}) did not happen: {reason}")


def _watch(ctx: StepContext, step: StepBase, seconds: float, what: str) -> dict[str, Any]:
    """Wait ``seconds`` while the app is observed; the step marker's detail."""
    detail: dict[str, Any] = {"step": step.kind, **step_mark(step), "seconds": seconds,
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
        raise EyesLost(f"{step.where}: the agent stopped watching while {what}")
    if outcome == "app_exit":
        exited = ctx.recorder.exit_info() or {"how": "ended"}
        detail["app_exited"] = True
        if exited.get("how") != "exited":
            detail["happened"] = False
            detail["reason"] = (f"cut short after {time.monotonic() - started:.1f}s of "
                                f"{seconds:g}s: the app died ({exit_how(exited)})")
        ctx.log(f"the app ended while {what} ({exit_how(exited)})")
    return detail


def _observe(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, ObserveStep)
    detail = _watch(ctx, step, float(step.seconds), "observing")
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _tap_step(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, TapStep)
    detail: dict[str, Any] = {"step": "tap", **step_mark(step)}
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
    node = poll(ctx, timeout, lambda tree: tree.find_first(matcher))
    if node is None:
        what = detail.get("text") or detail.get("resource_id")
        raise StepFailed(
            f"{step.where}: tap: nothing matching {what!r} on screen within {timeout:g}s"
        )
    tap(ctx, node, "tap step")
    detail["happened"] = True
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _permissions(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, PermissionsStep)
    answer = step.answer

    def button(tree: UiTree) -> UiNode | None:
        # by resource id, whatever package the prompt's window reports (AOSP's or
        # Google's permission controller), Android 12+ buttons included
        if answer is PermissionAnswer.DENY:
            return deny_button(tree)
        if answer is PermissionAnswer.ALLOW_ONCE:
            return allow_button(tree, "one_time") or allow_button(tree)
        return allow_button(tree)

    timeout = ctx.scenario.timeout_for(step)
    node = poll(ctx, timeout, button)
    detail: dict[str, Any] = {"step": "permissions", **step_mark(step),
                              "answer": step.answer.value, "found": node is not None,
                              "happened": node is not None}
    if node is None:
        detail["reason"] = f"no permission prompt within {timeout:g}s"
        ctx.log(detail["reason"])
    answered = 0
    while node is not None:
        # One request can raise several prompts in a row (one per permission group, or
        # per permission): a user answers each of them, and so does this step.
        if answer is PermissionAnswer.ALLOW_APPROXIMATE:
            _choose_approximate(ctx)
        tap(ctx, node, f"permission {step.answer.value}")
        ctx.recorder.add_host_marker(MarkerKind.PERMISSION_RESULT,
                                     {"answer": step.answer.value, "text": node.label})
        answered += 1
        node = poll(ctx, NEXT_PROMPT_S, button) if answered < MAX_PROMPTS else None
    detail["prompts"] = answered
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def _choose_approximate(ctx: StepContext) -> None:
    """On a location prompt with the Precise / Approximate choice, pick Approximate first
    (a prompt without the choice is answered as it is)."""
    tree = dump(ctx)
    choice = location_accuracy(tree, precise=False) if tree is not None else None
    if choice is not None and not choice.checked:
        tap(ctx, choice, "permission approximate location")


def _background(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, BackgroundStep)
    since = ctx.recorder.device_ms()
    ctx.device.key("HOME")
    detail = _watch(ctx, step, float(step.seconds), "the app was in the background")
    detail["since"] = since  # the marker is written at the end: when the span began
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
    if ctx.recorder.exit_info() is None:
        ctx.device.start(ctx.package)


def _relaunch(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, RelaunchStep)
    ctx.recorder.add_host_marker(MarkerKind.STEP, {"step": "relaunch", **step_mark(step),
                                                   "clear_data": step.clear_data,
                                                   "happened": True})
    ctx.recorder.relaunch(clear_data=step.clear_data)
    ctx.dialog_found = False


def _withdraw(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, WithdrawStep)
    detail: dict[str, Any] = {"step": "withdraw", **step_mark(step)}
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
    ctx.recorder.add_host_marker(MarkerKind.STEP, {"step": "key", **step_mark(step),
                                                   "key": step.key, "happened": True})


_STEPS: dict[type[StepBase], Callable[[StepContext, StepBase], None]] = {
    WaitForConsentStep: wait_for_consent,
    AgreeStep: agree,
    RefuseStep: refuse,
    ReadPolicyStep: read_policy,
    ObserveStep: _observe,
    TapStep: _tap_step,
    PermissionsStep: _permissions,
    BackgroundStep: _background,
    RelaunchStep: _relaunch,
    WithdrawStep: _withdraw,
    KeyStep: _key,
    WaitForStep: wait_for,
    AssertVisibleStep: assert_visible,
    AssertNotVisibleStep: assert_not_visible,
    InputTextStep: input_text,
    BackStep: back,
    ScrollStep: scroll,
}

__all__ = [
    "EyesLost", "Interrupted", "Recorder", "StepContext", "StepFailed",
    "covering_window", "run_steps",
]
