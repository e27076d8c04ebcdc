"""Windows on the simulated screen: the models apps report, hit-testing, and the
uiautomator XML rendering of what is on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import quoteattr

from pydantic import BaseModel, ConfigDict, Field

MAX_DEPTH = 64


class Node(BaseModel):
    """A view as the app reports it (bridge protocol ``Node``)."""

    model_config = ConfigDict(extra="forbid")

    vid: int
    cls: str = Field(default="android.view.View", max_length=200)
    text: str = Field(default="", max_length=10000)
    rid: str = Field(default="", max_length=300)
    desc: str = Field(default="", max_length=10000)
    bounds: tuple[int, int, int, int]
    clickable: bool = False
    checkable: bool = False
    checked: bool = False
    #: a ScrollView that can scroll (uiautomator's ``scrollable``)
    scrollable: bool = False
    children: list[Node] = Field(default_factory=list)

    def contains(self, x: int, y: int) -> bool:
        left, top, right, bottom = self.bounds
        return left <= x < right and top <= y < bottom


class Window(BaseModel):
    """A window as the app reports it (bridge protocol ``Window``)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    type: Literal["activity", "dialog", "popup"]
    title: str = Field(default="", max_length=300)
    root: Node
    #: Takes input focus. Activities and dialogs always do; a PopupWindow only when made
    #: focusable (``FLAG_NOT_FOCUSABLE`` otherwise), and so only then can it be the window
    #: ``uiautomator dump`` reads.
    focusable: bool = True


@dataclass
class Surface:
    """One window on screen, with the package that owns it."""

    package: str
    window: Window
    #: a device-owned window (launcher, permission dialog) rather than an app's
    system: bool = False


def depth_ok(node: Node, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    return all(depth_ok(child, depth + 1) for child in node.children)


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from walk(child)


def window_at(surfaces: list[Surface], x: int, y: int) -> Surface | None:
    """The window a touch at (x, y) goes to, searching the topmost window first.

    Dialogs and popups are modal: a touch outside the topmost one reaches nothing below —
    unless it is not focusable (``FLAG_NOT_FOCUSABLE`` implies ``FLAG_NOT_TOUCH_MODAL``).
    """
    for surface in reversed(surfaces):
        if surface.window.root.contains(x, y):
            return surface
        if surface.window.type != "activity" and surface.window.focusable:
            return None
    return None


def hit_test(surfaces: list[Surface], x: int, y: int) -> tuple[Surface, Node] | None:
    """The clickable view under (x, y), in the window the touch goes to (:func:`window_at`)."""
    surface = window_at(surfaces, x, y)
    if surface is None:
        return None
    target = _deepest_clickable(surface.window.root, x, y)
    return (surface, target) if target is not None else None


def _deepest_clickable(node: Node, x: int, y: int) -> Node | None:
    if not node.contains(x, y):
        return None
    # Later children are drawn on top of earlier ones, so they win.
    for child in reversed(node.children):
        hit = _deepest_clickable(child, x, y)
        if hit is not None:
            return hit
    return node if node.clickable else None


def _bounds(node: Node) -> str:
    left, top, right, bottom = node.bounds
    return f"[{left},{top}][{right},{bottom}]"


def _attr(name: str, value: str) -> str:
    # quoteattr escapes &, <, > and quotes; newlines/tabs become entities too.
    cleaned = "".join(c if c in "\t\n\r" or c >= " " else " " for c in value)
    return f"{name}={quoteattr(cleaned, {chr(10): '&#10;', chr(13): '&#13;', chr(9): '&#9;'})}"


def _render(node: Node, package: str, index: int, focused: bool, out: list[str],
            indent: int) -> None:
    attrs = " ".join([
        _attr("index", str(index)), _attr("text", node.text), _attr("resource-id", node.rid),
        _attr("class", node.cls), _attr("package", package), _attr("content-desc", node.desc),
        _attr("checkable", "true" if node.checkable else "false"),
        _attr("checked", "true" if node.checked else "false"),
        _attr("clickable", "true" if node.clickable else "false"), 'enabled="true"',
        _attr("focusable", "true" if node.clickable else "false"),
        _attr("focused", "true" if focused else "false"),
        _attr("scrollable", "true" if node.scrollable else "false"),
        'long-clickable="false"', 'password="false"', 'selected="false"',
        _attr("bounds", _bounds(node)),
    ])
    pad = "  " * indent
    if not node.children:
        out.append(f"{pad}<node {attrs} />")
        return
    out.append(f"{pad}<node {attrs}>")
    for i, child in enumerate(node.children):
        _render(child, package, i, False, out, indent + 1)
    out.append(f"{pad}</node>")


def active_surface(surfaces: list[Surface]) -> Surface | None:
    """The window ``uiautomator dump`` reads: Android's accessibility "active window",
    which (no touch exploration going on) is the window with input focus — the topmost
    focusable one. A system permission prompt over an app's dialog hides the dialog; a
    non-focusable PopupWindow never takes focus, so the dump shows the window under it
    (the popup is on screen and takes taps, yet is missing from the dump, as on a phone)."""
    for surface in reversed(surfaces):
        if surface.window.focusable:
            return surface
    return None


def render_hierarchy(surfaces: list[Surface], rotation: int = 0) -> str:
    """uiautomator's XML of what ``uiautomator dump`` sees: the active window's tree only
    (``UiAutomation.getRootInActiveWindow``), never the windows under or beside it."""
    out = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
           f'<hierarchy rotation="{rotation}">']
    active = active_surface(surfaces)
    if active is not None:
        _render(active.window.root, active.package, 0, True, out, 1)
    out.append("</hierarchy>")
    return "\n".join(out) + "\n"


def full_screen(width: int, height: int) -> tuple[int, int, int, int]:
    return (0, 0, width, height)
