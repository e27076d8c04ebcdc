"""Steps that read the screen for a node, type, or press BACK: ``wait_for``,
``assert_visible``, ``assert_not_visible``, ``input_text``, ``back``. A node is sought as
``tap`` seeks it (whole label, or resource id). An assertion that does not hold fails
the scenario's steps (:class:`StepFailed`: the verdict says which line), never its rules."""

from __future__ import annotations

from typing import Any

from harness.model import MarkerKind
from harness.runner.context import StepContext, StepFailed, poll, tap
from harness.scenario import (
    AssertNotVisibleStep,
    AssertVisibleStep,
    BackStep,
    InputTextStep,
    StepBase,
    WaitForStep,
)
from harness.ui import TextMatcher, UiTree


def _target(
    step: WaitForStep | AssertVisibleStep | AssertNotVisibleStep | InputTextStep,
) -> tuple[TextMatcher, str] | None:
    """The node a step names (by whole label or resource id) and how to name it in an
    error; None when it names none (``input_text`` into the focused field)."""
    if step.text is not None:
        return TextMatcher.exact(step.text), repr(step.text)
    if step.resource_id is not None:
        return TextMatcher.resource_id(step.resource_id), f"id {step.resource_id!r}"
    return None


def _present(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, WaitForStep | AssertVisibleStep)
    target = _target(step)
    assert target is not None  # the model requires text or resource_id
    matcher, what = target
    timeout = ctx.scenario.timeout_for(step)
    node = poll(ctx, timeout, lambda tree: tree.find_first(matcher))
    if node is None:
        raise StepFailed(
            f"line {step.line}: {step.kind}: {what} not on screen within {timeout:g}s")
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": step.kind, "line": step.line, "happened": True, "found": node.label})


def wait_for(ctx: StepContext, step: StepBase) -> None:
    _present(ctx, step)


def assert_visible(ctx: StepContext, step: StepBase) -> None:
    _present(ctx, step)


def assert_not_visible(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, AssertNotVisibleStep)
    target = _target(step)
    assert target is not None  # the model requires text or resource_id
    matcher, what = target
    timeout = ctx.scenario.timeout_for(step)

    def gone(tree: UiTree) -> bool:
        return tree.find_first(matcher) is None

    if not poll(ctx, timeout, gone):
        raise StepFailed(
            f"line {step.line}: assert_not_visible: {what} still on screen after {timeout:g}s")
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": step.kind, "line": step.line, "happened": True})


def input_text(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, InputTextStep)
    detail: dict[str, Any] = {"step": "input_text", "line": step.line, "chars": len(step.value)}
    target = _target(step)
    if target is not None:
        matcher, what = target
        timeout = ctx.scenario.timeout_for(step)
        field = poll(ctx, timeout, lambda tree: tree.find_first(matcher))
        if field is None:
            raise StepFailed(
                f"line {step.line}: input_text: no field {what} on screen within {timeout:g}s")
        tap(ctx, field, "focus field")
    ctx.device.input_text(step.value)
    # the typed text is the scenario's own (never a value from the device): safe to log
    ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {"action": "input_text",
                                                          "chars": len(step.value)})
    detail["happened"] = True
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def back(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, BackStep)
    ctx.device.key("BACK")
    detail: dict[str, Any] = {"step": "back", "line": step.line, "happened": True}
    ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {"action": "key", "key": "BACK"})
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
