"""Find the consent dialog on a screen and its agree / refuse buttons.

The dialog is anchored on a node whose label matches the dialog matcher (``隐私政策``…).
Each button is sought in the smallest subtree around that anchor that holds a node
whose label matches the button matcher; a clickable match is preferred, else the
nearest clickable ancestor of the matching label that holds neither the anchor nor
the other button, else the label itself (a tap on its centre reaches the view under it).
Windows are searched topmost first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.ui.matchers import DEFAULT_CONSENT_MATCHERS, ConsentMatchers, TextMatcher
from harness.ui.tree import UiNode, UiTree


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
    return ConsentDialog(
        anchor=anchor, container=container, agree=agree, refuse=refuse, texts=container.texts()
    )


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
