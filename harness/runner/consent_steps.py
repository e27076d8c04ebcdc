"""The consent-dialog steps: wait for the dialog, agree, refuse — and what the screen
shows after a refusal (``screen_after_refusal``, read by ``7.4/refusal-denies-service``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from harness.model import MarkerKind
from harness.runner.context import (
    POLL_S,
    Interrupted,
    StepContext,
    covering_window,
    dump,
    poll,
    poll_pause,
    step_mark,
    tap,
)
from harness.scenario import AgreeStep, ReadPolicyStep, RefuseStep, StepBase, WaitForConsentStep
from harness.ui import ConsentDialog, UiNode, UiTree, dialog_state, find_consent, prompt_window

#: The step name ``7.4/refusal-denies-service`` reads (docs/scoring.md).
SCREEN_AFTER_REFUSAL = "screen_after_refusal"
#: How long the screen must stay the same after a refusal to count as settled.
SETTLE_S = 1.0
#: … and the policy screen a link opened before its text is kept (a page that is still
#: loading changes, which restarts the count).
POLICY_SETTLE_S = 0.6
#: What the ``read_policy`` marker keeps of the policy's text (all of it is in policy.txt).
MAX_POLICY_TEXT = 20_000
#: Candidate policy links tried before the policy counts as not openable.
MAX_LINKS = 3



def wait_for_consent(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, WaitForConsentStep)
    timeout = ctx.scenario.timeout_for(step)
    dialog = poll(ctx, timeout, lambda tree: find_consent(tree, ctx.matchers))
    detail: dict[str, Any] = {"step": "wait_for_consent", **step_mark(step), "found": bool(dialog),
                              "happened": bool(dialog)}
    if dialog is None:
        detail["reason"] = f"no consent dialog within {timeout:g}s"
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        ctx.log(detail["reason"])
        return
    ctx.dialog_found = True
    ctx.recorder.add_host_marker(
        MarkerKind.CONSENT_SHOWN,
        {"texts": dialog.texts[:30], "package": dialog.package, **dialog_state(dialog)},
    )
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
    ctx.screenshot("dialog.png")


def _decide(ctx: StepContext, step: StepBase, *, agree: bool) -> None:
    name = "agree" if agree else "refuse"
    timeout = ctx.scenario.timeout_for(step)

    covered: list[str] = []
    seen: list[ConsentDialog] = []

    def button(tree: UiTree) -> UiNode | None:
        dialog = find_consent(tree, ctx.matchers)
        if dialog is None:
            # Android dumps the focused window only: a permission prompt over the dialog
            # hides it (look again at the next poll, once the prompt is answered)
            prompt = prompt_window(tree)
            if prompt is not None:
                covered[:] = [prompt.package or "a permission prompt"]
            return None
        covered.clear()
        seen[:] = [dialog]
        found = dialog.agree if agree else dialog.refuse
        if found is not None:
            cover = covering_window(tree, found)
            if cover is not None:
                covered[:] = [cover.package or "another window"]
                return None
        return found

    node = poll(ctx, timeout, button)
    detail: dict[str, Any] = {"step": name, **step_mark(step), "found": node is not None,
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
        ctx.recorder.add_host_marker(MarkerKind.CONSENT_SHOWN, {
            "texts": seen[0].texts[:30], "package": seen[0].package, **dialog_state(seen[0])})
        ctx.screenshot("dialog.png")
    if agree and not _tick_boxes(ctx, seen[0], timeout):
        detail["reason"] = "the consent dialog's checkbox could not be ticked"
        ctx.log(detail["reason"])
    kind = MarkerKind.CONSENT_GRANTED if agree else MarkerKind.CONSENT_REFUSED
    ctx.decision = "agree" if agree else "refuse"
    tapped = tap(ctx, node, name)
    # What the agent saw of this click is derived from its view_clicked marker and the
    # tap's time (harness.scoring.consent): the trace holds observations only.
    ctx.recorder.add_host_marker(kind, {"text": node.label, "via": "input tap",
                                        "tapped_ts": tapped})
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
    if not agree:
        screen_after_refusal(ctx, step, timeout)


def settled_screen(
    ctx: StepContext,
    timeout: float,
    ready: Callable[[UiTree], bool] = lambda _t: True,
    settle: float = SETTLE_S,
) -> tuple[UiTree | None, bool]:
    """The screen once ``ready`` holds and it stayed the same for ``settle`` seconds (a
    dialog dismissed and shown again in between is not what the user is left with), with
    whether it settled before ``timeout``; (None, False) when the app ended itself."""
    start = time.monotonic()
    deadline = start + timeout
    last: tuple[object, ...] | None = None
    since = time.monotonic()
    tree: UiTree | None = None
    while True:
        if ctx.cancel.is_set():
            raise Interrupted("interrupted")
        if ctx.recorder.exit_info() is not None:
            return None, False
        now = dump(ctx)
        if now is not None and ready(now):
            seen = (tuple(now.texts()), tuple(r.package for r in now.roots))
            if seen != last:
                last, since, tree = seen, time.monotonic(), now
            elif time.monotonic() - since >= settle:
                return tree, True
        at = time.monotonic()
        if at >= deadline:
            return tree, False
        pause = poll_pause(at - start)
        if last is not None:  # read again when it will have been the same long enough
            pause = min(POLL_S, max(pause, since + settle - at))
        time.sleep(max(0.0, min(pause, deadline - at)))


def screen_after_refusal(ctx: StepContext, step: StepBase, timeout: float) -> None:
    """Record what the screen offers once it settled after a refusal. An app that ended
    itself needs no screen: its ``app_exit`` says what the refusal cost. A screen that
    never settled within ``timeout`` is recorded ``settled: false`` and cannot pass the
    rule."""
    tree, settled = settled_screen(ctx, timeout)
    if tree is None or not tree.roots:
        return
    # Only the topmost window takes the user's touch: a notice dialog over the main
    # screen offers what the notice offers, not the buttons beneath it.
    top = tree.roots[-1]
    actions = [_action_label(n) for n in top.iter() if n.clickable and n.visible]
    ctx.recorder.add_host_marker(MarkerKind.STEP, {
        "step": SCREEN_AFTER_REFUSAL, **step_mark(step), "happened": True,
        "settled": settled, "package": top.package, "texts": top.texts()[:40],
        "actions": [a for a in actions if a][:30],
    })


def read_policy(ctx: StepContext, step: StepBase) -> None:
    """Open the policy from the dialog's link, keep its text, and return to the dialog."""
    assert isinstance(step, ReadPolicyStep)
    timeout = ctx.scenario.timeout_for(step)
    detail: dict[str, Any] = {"step": "read_policy", **step_mark(step)}
    dialog = poll(ctx, timeout, lambda tree: find_consent(tree, ctx.matchers))
    if dialog is None:
        detail.update(happened=False, reason=f"no consent dialog within {timeout:g}s")
        ctx.recorder.add_host_marker(MarkerKind.STEP, detail)
        ctx.log(detail["reason"])
        return
    links = dialog.policy_links()[:MAX_LINKS]
    detail.update(happened=True, link=None, opened=False, text="",
                  tried=[n.label[:200] for n in links])
    shown = set(dialog.texts)

    def policy(tree: UiTree) -> bool:
        # the dialog is gone or covered, and the top window says something it did not
        top = tree.roots[-1] if tree.roots else None
        return top is not None and any(t not in shown for t in top.texts())

    for link in links:
        detail["link"] = link.label[:200]
        tap(ctx, link, "read policy")
        tree, settled = settled_screen(ctx, timeout, policy, POLICY_SETTLE_S)
        if tree is None or not tree.roots or not policy(tree):
            blind = _unseen(ctx)
            if blind is not None:
                # not "opens nothing": what the link opened was never seen
                detail.update(happened=False, reason=blind)
                ctx.log(blind)
                break
            continue  # nothing opened: try the next candidate, as a user would
        text = "\n".join(tree.roots[-1].texts())
        detail.update(opened=True, settled=settled, text=text[:MAX_POLICY_TEXT],
                      chars=len(text))
        ctx.save_text("policy.txt", text)
        ctx.screenshot("policy.png")
        ctx.device.key("BACK")
        ctx.recorder.add_host_marker(MarkerKind.HOST_ACTION, {"action": "key", "key": "BACK",
                                                              "why": "back from the policy"})
        detail["returned"] = bool(poll(ctx, timeout,
                                       lambda t: find_consent(t, ctx.matchers) is not None))
        break
    if not links:
        ctx.log("the consent dialog has no link to a privacy policy")
    ctx.recorder.add_host_marker(MarkerKind.STEP, detail)

def _unseen(ctx: StepContext) -> str | None:
    """Why the screen after a tap could not be judged (the app ended, the UI cannot be
    read), or None when it was read and simply shows nothing new."""
    exited = ctx.recorder.exit_info()
    if exited is not None:
        return f"the app ended ({exited.get('how', 'ended')}) while its policy was opened"
    if dump(ctx) is None:
        return "the screen could not be read after the policy link was tapped"
    return None


def _action_label(node: UiNode) -> str:
    """A clickable view as a user tells it: its label, else its resource id's name."""
    return node.label or node.resource_id.rsplit("/", 1)[-1]


def _tick_boxes(ctx: StepContext, dialog: ConsentDialog, timeout: float) -> bool:
    """Tick the dialog's unticked checkboxes, as a user agreeing must ("我已阅读并同意…"
    gates the agree button in many apps); True once the screen shows them all ticked."""
    unticked = [b for b in dialog.checkboxes if not b.checked]
    if not unticked:
        return True
    for box in unticked:
        tap(ctx, box, "tick consent checkbox")

    def all_ticked(tree: UiTree) -> bool:
        again = find_consent(tree, ctx.matchers)
        return again is not None and all(b.checked for b in again.checkboxes)

    return bool(poll(ctx, timeout, all_ticked))


def agree(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, AgreeStep)
    _decide(ctx, step, agree=True)


def refuse(ctx: StepContext, step: StepBase) -> None:
    assert isinstance(step, RefuseStep)
    _decide(ctx, step, agree=False)
