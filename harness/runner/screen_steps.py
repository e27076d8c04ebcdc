"""Steps that read the screen for a node, type, scroll, or press BACK: ``wait_for``,
``assert_visible``, ``assert_not_visible``, ``input_text``, ``scroll``, ``back``. A node is
sought as ``tap`` seeks it (whole label, or resource id). An assertion that does not hold
fails the scenario's steps (:class:`StepFailed`: the verdict says which line), never its
rules."""

from __future__ import annotations

from typing import Any

from harness.model import MarkerKind
from harness.runner.context import StepContext, StepFailed, poll, step_mark, tap
from harness.scenario import (
    AssertNotVisibleStep,
    AssertVisibleStep,
    BackStep,
    InputTextStep,
    StepBase,
    WaitForStep,
)
from harness.scenario.steps import ScrollDirection, ScrollStep
from harness.ui import TextMatcher, UiNode, UiTree

#: A scroll swipe runs between these fractions of the scrollable view's height (a margin
#: off its edges, where a drag could start on a fixed header or the navigation bar).
_SWIPE_FROM, _SWIPE_TO = 0.75, 0.25


def _target(
    step: WaitForStep | AssertVisibleStep | AssertNotVisibleStep | InputTextStep | ScrollStep,
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
            f"{step.where}: {step.kind}: {what} not on screen within {timeout:g}s")
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": step.kind, **step_mark(step), "happened": True, "found": node.label})


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
            f"{step.where}: assert_not_visible: {what} still on screen after {timeout:g}s")
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": step.kind, **step_mark(step), "happened": True})


def input_text(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, InputTextStep)
    detail: dict[str, Any] = {"step": "input_text", **step_mark(step), "chars": len(step.value)}
    target = _target(step)
    if target is not None:
        matcher, what = target
        timeout = ctx.scenario.timeout_for(step)
        field = poll(ctx, timeout, lambda tree: tree.find_first(matcher))
        if field is None:
            raise StepFailed(
                f"{step.where}: input_text: no field {what} on screen within {timeout:g}s")
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
    detail: dict[str, Any] = {"step": "back", **step_mark(step), "happened": True}
    ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {"action": "key", "key": "BACK"})
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)


def scroll(ctx: StepContext, step: StepBase) -> None:
    """Swipe inside the scrollable view until the node is on screen (a node in the dump is
    on screen: uiautomator leaves out what is scrolled away and clips what is half shown)."""
    assert isinstance(step, ScrollStep)
    target = _target(step)
    assert target is not None  # the model requires text or resource_id
    matcher, what = target
    where = f"{step.where}: scroll"
    timeout = ctx.scenario.timeout_for(step)
    within = TextMatcher.resource_id(step.within) if step.within is not None else None

    def ready(tree: UiTree) -> tuple[UiNode | None, UiNode | None] | None:
        node = tree.find_first(matcher)
        view = _scrollable(tree, within)
        return (node, view) if node is not None or view is not None else None

    swipes = 0
    before: list[tuple[str, str, tuple[int, int, int, int]]] | None = None
    while True:
        found = poll(ctx, timeout, ready)
        if found is None:
            name = f"no scrollable view {step.within!r}" if step.within else "no scrollable view"
            raise StepFailed(f"{where}: {what} not on screen and {name} within {timeout:g}s")
        node, view = found
        if node is not None:
            break
        assert view is not None
        now = [(n.label, n.resource_id, tuple(n.bounds)) for n in view.iter()]
        if now == before:
            raise StepFailed(f"{where}: {what} not found: the view stopped moving after "
                             f"{swipes} swipe(s) {step.direction.value} (its end)")
        if swipes >= step.max_swipes:
            raise StepFailed(f"{where}: {what} not on screen after {swipes} swipe(s) "
                             f"{step.direction.value}")
        before = now
        _swipe(ctx, view, step.direction)
        swipes += 1
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": "scroll", **step_mark(step), "happened": True, "found": node.label,
        "swipes": swipes})


def _scrollable(tree: UiTree, within: TextMatcher | None) -> UiNode | None:
    """The view to swipe: the scrollable one ``within`` names, else the largest on screen."""
    views = [n for n in tree.iter() if n.scrollable and n.visible
             and (within is None or within.matches(n))]
    return max(views, key=lambda n: n.bounds.width * n.bounds.height, default=None)


def _swipe(ctx: StepContext, view: UiNode, direction: ScrollDirection) -> None:
    left, top, right, bottom = view.bounds
    x, height = (left + right) // 2, bottom - top
    low, high = top + int(height * _SWIPE_FROM), top + int(height * _SWIPE_TO)
    # To show what is below, the finger drags the content up.
    y1, y2 = (low, high) if direction is ScrollDirection.DOWN else (high, low)
    ctx.device.swipe(x, y1, x, y2)
    ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {
        "action": "swipe", "x1": x, "y1": y1, "x2": x, "y2": y2,
        "resource_id": view.resource_id})
