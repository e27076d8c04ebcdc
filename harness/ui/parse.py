"""uiautomator XML → :class:`~harness.ui.tree.UiTree`.

A dump comes from the device under test and is treated as hostile: no DOCTYPE or
entities, a node budget, illegal XML characters replaced, every failure a
:class:`~harness.ui.errors.UiDumpError`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from harness.ui.errors import UiDumpError
from harness.ui.tree import Bounds, UiNode, UiTree

#: More nodes than any real screen has; a dump beyond it is refused, not parsed.
MAX_NODES = 50_000

_BOUNDS = re.compile(r"\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*")
# Characters XML 1.0 forbids (uiautomator copies control characters from app texts).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TRAILER = "</hierarchy>"


def parse_hierarchy(xml: str | bytes) -> UiTree:
    """Parse a ``uiautomator dump``; raise :class:`UiDumpError` if it is not one."""
    text = _clean(xml)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UiDumpError(f"malformed UI dump: {exc}") from exc
    if root.tag != "hierarchy":
        raise UiDumpError(f"malformed UI dump: root element is <{root.tag}>, not <hierarchy>")
    rotation = _int_attr(root, "rotation")
    budget = [MAX_NODES]
    roots = [_convert(el, budget) for el in root if el.tag == "node"]
    return UiTree(roots=roots, rotation=rotation)


def _clean(xml: str | bytes) -> str:
    if isinstance(xml, bytes):
        xml = xml.decode("utf-8", errors="replace")
    if not xml.strip():
        raise UiDumpError("empty UI dump")
    # `uiautomator dump /dev/tty` prints a trailer; some builds print a banner first.
    start = xml.find("<?xml")
    if start < 0:
        start = xml.find("<hierarchy")
    if start < 0:
        raise UiDumpError(f"not a UI dump (no <hierarchy>): {_preview(xml)}")
    end = xml.rfind(_TRAILER)
    xml = xml[start : end + len(_TRAILER)] if end > start else xml[start:]
    if "<!DOCTYPE" in xml or "<!ENTITY" in xml:
        raise UiDumpError("UI dump declares a DOCTYPE or entities; refused")
    return _ILLEGAL.sub("\ufffd", xml)


def _convert(top: ET.Element, budget: list[int]) -> UiNode:
    """Element → UiNode without recursion (a hostile dump may nest very deeply)."""
    root_node = _node(top, None, budget)
    stack: list[tuple[ET.Element, UiNode]] = [(top, root_node)]
    while stack:
        el, node = stack.pop()
        for child_el in el:
            if child_el.tag != "node":
                continue
            child = _node(child_el, node, budget)
            node.children.append(child)
            stack.append((child_el, child))
    return root_node


def _node(el: ET.Element, parent: UiNode | None, budget: list[int]) -> UiNode:
    budget[0] -= 1
    if budget[0] < 0:
        raise UiDumpError(f"UI dump has more than {MAX_NODES} nodes; refused")
    a = el.attrib
    return UiNode(
        text=a.get("text", ""),
        resource_id=a.get("resource-id", ""),
        class_name=a.get("class", ""),
        package=a.get("package", ""),
        content_desc=a.get("content-desc", ""),
        clickable=a.get("clickable") == "true",
        enabled=a.get("enabled", "true") == "true",
        checkable=a.get("checkable") == "true",
        checked=a.get("checked") == "true",
        focused=a.get("focused") == "true",
        scrollable=a.get("scrollable") == "true",
        bounds=_bounds(a.get("bounds")),
        parent=parent,
    )


def _bounds(raw: str | None) -> Bounds:
    if raw is None or raw == "":
        return Bounds(0, 0, 0, 0)
    m = _BOUNDS.fullmatch(raw)
    if m is None:
        raise UiDumpError(f"malformed UI dump: bounds {_preview(raw)} is not [l,t][r,b]")
    left, top, right, bottom = (int(g) for g in m.groups())
    return Bounds(left, top, right, bottom)


def _int_attr(el: ET.Element, name: str) -> int:
    raw = el.attrib.get(name, "0")
    try:
        return int(raw)
    except ValueError:
        raise UiDumpError(f"malformed UI dump: {name}={_preview(raw)} is not a number") from None


def _preview(s: str, n: int = 60) -> str:
    s = s.strip()
    return repr(s if len(s) <= n else s[:n] + "…")
