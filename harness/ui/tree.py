"""Typed view of a uiautomator hierarchy: :class:`UiNode` and :class:`UiTree`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol


class Bounds(NamedTuple):
    """Screen rectangle of a node: left, top, right, bottom (pixels)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return max(0, self.right - self.left)

    @property
    def height(self) -> int:
        return max(0, self.bottom - self.top)

    @property
    def empty(self) -> bool:
        return self.width == 0 or self.height == 0

    @property
    def center(self) -> tuple[int, int]:
        return ((self.left + self.right) // 2, (self.top + self.bottom) // 2)

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.right and self.top <= y < self.bottom


@dataclass(eq=False)
class UiNode:
    """One ``<node>`` of a dump. ``parent`` is None for a window root."""

    text: str = ""
    resource_id: str = ""
    class_name: str = ""
    package: str = ""
    content_desc: str = ""
    clickable: bool = False
    enabled: bool = True
    checkable: bool = False
    checked: bool = False
    focused: bool = False
    scrollable: bool = False
    bounds: Bounds = Bounds(0, 0, 0, 0)
    children: list[UiNode] = field(default_factory=list)
    parent: UiNode | None = field(default=None, repr=False)

    @property
    def center(self) -> tuple[int, int]:
        return self.bounds.center

    @property
    def visible(self) -> bool:
        return not self.bounds.empty

    @property
    def label(self) -> str:
        """What a user would read on the node: its text, else its content description."""
        return self.text.strip() or self.content_desc.strip()

    def iter(self) -> Iterator[UiNode]:
        """This node and every descendant, in document (pre-)order. Not recursive."""
        stack: list[UiNode] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[UiNode]:
        """Parent, grandparent, … up to the window root."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def is_descendant_of(self, other: UiNode) -> bool:
        return any(a is other for a in self.ancestors())

    def contains(self, other: UiNode) -> bool:
        """True when ``other`` is this node or lies inside its subtree."""
        return other is self or other.is_descendant_of(self)

    def find(self, matcher: Matcher) -> list[UiNode]:
        return [n for n in self.iter() if matcher.matches(n)]

    def texts(self) -> list[str]:
        """Visible labels in this subtree, in document order, without blanks."""
        return [n.label for n in self.iter() if n.label]

    def __repr__(self) -> str:
        return (
            f"UiNode({self.class_name.rsplit('.', 1)[-1] or '?'}"
            f" text={self.text!r} id={self.resource_id!r} bounds={tuple(self.bounds)}"
            f"{' clickable' if self.clickable else ''})"
        )


class Matcher(Protocol):
    """Anything that can say whether a node is the one sought."""

    def matches(self, node: UiNode) -> bool: ...


@dataclass
class UiTree:
    """A parsed dump: one root per window, bottom window first, topmost last."""

    roots: list[UiNode]
    rotation: int = 0

    def iter(self) -> Iterator[UiNode]:
        for root in self.roots:
            yield from root.iter()

    def __len__(self) -> int:
        return sum(1 for _ in self.iter())

    def find(self, matcher: Matcher) -> list[UiNode]:
        """Every node the matcher accepts, topmost window first, document order inside."""
        return [n for root in reversed(self.roots) for n in root.iter() if matcher.matches(n)]

    def find_first(self, matcher: Matcher) -> UiNode | None:
        for root in reversed(self.roots):
            for node in root.iter():
                if matcher.matches(node):
                    return node
        return None

    def texts(self) -> list[str]:
        return [t for root in self.roots for t in root.texts()]

    def packages(self) -> list[str]:
        """Packages owning the windows, topmost first, without repeats."""
        seen: list[str] = []
        for root in reversed(self.roots):
            if root.package and root.package not in seen:
                seen.append(root.package)
        return seen

    def hit(self, x: int, y: int) -> UiNode | None:
        """The deepest clickable node under a point, topmost window first."""
        for root in reversed(self.roots):
            best: UiNode | None = None
            for node in root.iter():
                if node.clickable and node.enabled and node.bounds.contains(x, y):
                    best = node
            if best is not None:
                return best
        return None
