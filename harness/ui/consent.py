"""Find the consent dialog on a screen and its agree / refuse buttons.

The dialog is anchored on a node whose label matches the dialog matcher (``隐私政策``…).
Each button is sought in the smallest subtree around that anchor that holds a node
whose label matches the button matcher; a clickable match is preferred, else the
nearest clickable ancestor of the matching label that holds neither the anchor nor
the other button, else the label itself (a tap on its centre reaches the view under it).
Windows are searched topmost first.

The dialog's checkboxes are the checkable views of the window that holds it: a
"我已阅读并同意" box often sits outside the smallest subtree of text and buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.ui.matchers import DEFAULT_CONSENT_MATCHERS, ConsentMatchers, TextMatcher
from harness.ui.tree import UiNode, UiTree

#: A label that names the privacy policy as a link does: 《隐私政策》, 《个人信息保护指引》,
#: or a whole label such as "Privacy Policy".
POLICY_LINK = re.compile(
    r"《[^》]*(?:隐私|个人信息)[^》]*》"
    r"|^(?:隐私政策|隐私协议|个人信息保护政策|Privacy Policy|Privacy Notice)$",
    re.I,
)


#: Words that name the privacy policy anywhere in a label.
POLICY_NAME = re.compile(
    r"隐私政策|隐私协议|隐私权政策|个人信息保护|Privacy Policy|Privacy Notice", re.I
)


@dataclass
class ConsentDialog:
    """A consent dialog seen on screen."""

    anchor: UiNode
    """The node whose text matched the dialog matcher."""
    container: UiNode
    """The smallest subtree that holds the anchor and the buttons found."""
    agree: UiNode | None = None
    refuse: UiNode | None = None
    texts: list[str] = field(default_factory=list)
    """Visible labels of the container, for the ``consent_shown`` marker."""
    checkboxes: list[UiNode] = field(default_factory=list)
    """Checkable views of the dialog's window, in document order."""
    window: UiNode | None = None
    """The root of the window that holds the dialog."""

    def policy_links(self) -> list[UiNode]:
        """The views a user may tap to read the policy, best first: clickable views whose
        label names it (a 《隐私政策》 link, a body text with a link span), then labels
        that name it as a link does (a tap on their centre may reach a span there)."""
        scope = self.window or self.container
        skip = {id(n) for n in (self.agree, self.refuse, *self.checkboxes) if n is not None}
        views = [n for n in scope.iter() if id(n) not in skip and n.visible and n.label]
        first = [n for n in views if n.clickable and POLICY_NAME.search(n.label)]
        then = [n for n in views if not n.clickable and POLICY_LINK.search(n.label)]
        return first + then

    @property
    def package(self) -> str:
        return self.container.package or self.anchor.package


def find_consent(
    tree: UiTree, matchers: ConsentMatchers = DEFAULT_CONSENT_MATCHERS
) -> ConsentDialog | None:
    """The consent dialog on screen, or None when no label matches the dialog matcher.

    A dialog whose buttons cannot be found is still returned (``agree``/``refuse``
    None), so that a caller can tell "no dialog" from "dialog without buttons".
    """
    first: ConsentDialog | None = None
    for root in reversed(tree.roots):
        for anchor in root.iter():
            if not (anchor.visible and matchers.dialog.matches(anchor)):
                continue
            dialog = _around(anchor, root, matchers)
            if dialog.agree is not None or dialog.refuse is not None:
                return dialog
            if first is None:
                first = dialog
    return first


def _around(anchor: UiNode, root: UiNode, matchers: ConsentMatchers) -> ConsentDialog:
    agree = _button(anchor, matchers.agree, matchers.refuse)
    refuse = _button(anchor, matchers.refuse, matchers.agree)
    container = _common_ancestor([anchor] + [b for b in (agree, refuse) if b is not None], root)
    if agree is None and refuse is None:
        container = root
    boxes = [n for n in root.iter() if n.checkable and n.visible]
    return ConsentDialog(
        anchor=anchor, container=container, agree=agree, refuse=refuse,
        texts=container.texts(), checkboxes=boxes, window=root,
    )


def dialog_state(dialog: ConsentDialog) -> dict[str, object]:
    """What ``7.2/implicit-consent`` reads of a dialog as first shown (docs/scoring.md):
    its checkboxes, whether it offers a refusal, and the clickable labels seen (so a
    reviewer can tell a missing refuse button from one the matchers did not know).
    Empty when neither button was found: then the dialog was not understood."""
    if dialog.agree is None and dialog.refuse is None:
        return {}
    return {
        "checkboxes": [
            {"text": checkbox_label(b), "checkable": True, "checked": b.checked}
            for b in dialog.checkboxes
        ],
        "refuse_choice": dialog.refuse is not None,
        "buttons": [
            n.label for n in dialog.container.iter() if n.clickable and not n.checkable and n.label
        ][:10],
    }


def checkbox_label(node: UiNode) -> str:
    """What a user reads beside a checkbox: its own label, else its parent's other
    labels (a bare CheckBox followed by a "我已阅读并同意…" TextView)."""
    if node.label:
        return node.label
    if node.parent is None:
        return ""
    return " ".join(n.label for n in node.parent.children if n is not node and n.label)


def _button(anchor: UiNode, wanted: TextMatcher, other: TextMatcher) -> UiNode | None:
    for scope in (anchor, *anchor.ancestors()):
        labels = [n for n in scope.iter() if n is not anchor and wanted.matches(n)]
        if not labels:
            continue
        targets = [_target(label, anchor, wanted, other) for label in labels]
        return min(enumerate(targets), key=lambda it: (_rank(it[1]), it[0]))[1]
    return None


def _target(label: UiNode, anchor: UiNode, wanted: TextMatcher, other: TextMatcher) -> UiNode:
    if label.clickable:
        return label
    for up in label.ancestors():
        if up.contains(anchor) or any(other.matches(n) for n in up.iter()):
            break
        if up.clickable:
            return up
    return label


def _rank(node: UiNode) -> tuple[int, int, int]:
    return (
        0 if node.clickable else 1,
        0 if node.enabled and node.visible else 1,
        0 if node.class_name.endswith("Button") else 1,
    )


def _common_ancestor(nodes: list[UiNode], root: UiNode) -> UiNode:
    first = nodes[0]
    for scope in (first, *first.ancestors()):
        if all(scope.contains(n) for n in nodes[1:]):
            return scope
    return root
