"""Scrolling on the simulated device, over adb only (real adb server, adbutils, a bundled app's
JVM): ``input swipe`` drags the app's ScrollView, and ``uiautomator dump`` and taps see only
what is on screen, as on Android."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import adbutils
from tests_sim_helpers import dump_xml, wait_for

WAIT = 90.0  # the first launch compiles the app; a wait bound, never asserted on
PKG = "com.example.video"  # an English app: its Settings title is "Settings"
SCREEN = (0, 0, 1080, 2340)



_dump = dump_xml


def _bounds(node: ET.Element) -> tuple[int, int, int, int]:
    left, top, right, bottom = map(int, re.findall(r"-?\d+", node.get("bounds", "")))
    return left, top, right, bottom


def _find(root: ET.Element, *, text: str | None = None, rid: str | None = None
          ) -> ET.Element | None:
    for node in root.iter("node"):
        if text is not None and node.get("text") == text:
            return node
        if rid is not None and node.get("resource-id") == f"{PKG}:id/{rid}":
            return node
    return None


def _swipe(dev: adbutils.AdbDevice, y1: int, y2: int) -> None:
    result = dev.shell2(f"input swipe 540 {y1} 540 {y2} 100", v2=True)
    assert result.returncode == 0, result


def _open_settings(dev: adbutils.AdbDevice) -> ET.Element:
    dev.shell(f"am force-stop {PKG}")
    dev.shell(f"am start -n {PKG}/.SettingsActivity")

    def shown() -> list[ET.Element]:
        # a list: an Element's truth value is its child count
        root = _dump(dev)
        return [root] if _find(root, rid="settings_scroll") is not None else []

    return wait_for(shown, WAIT)[0]


def test_a_swipe_scrolls_by_the_drag_and_the_dump_shows_only_what_is_on_screen(
    device: adbutils.AdbDevice,
) -> None:
    root = _open_settings(device)
    scroll = _find(root, rid="settings_scroll")
    assert scroll is not None and scroll.get("scrollable") == "true"
    # The bottom row is below the screen: not dumped at all, as on Android.
    assert _find(root, text="Build number") is None
    assert all(_bounds(n)[3] <= SCREEN[3] for n in root.iter("node"))
    about = _find(root, text="About")
    assert about is not None
    left, top, right, bottom = _bounds(about)

    # `input swipe` returns once the app has drawn the result: the next dump shows it.
    _swipe(device, 1500, 1300)
    root = _dump(device)
    moved = _find(root, text="About")
    assert moved is not None and _bounds(moved) == (left, top - 200, right, bottom - 200)

    # Far drags stop at the end of the content, where the last row is on screen.
    for _ in range(5):
        _swipe(device, 2100, 300)
    root = _dump(device)
    build = _find(root, text="Build number")
    assert build is not None and _bounds(build)[3] <= SCREEN[3]
    assert _find(root, text="Settings") is None  # the title went off the top
    view = _find(root, rid="settings_scroll")
    assert view is not None
    assert all(_bounds(n)[1] >= _bounds(view)[1] for n in root.iter("node"))
    at_end = ET.tostring(root)
    _swipe(device, 2100, 300)
    assert ET.tostring(_dump(device)) == at_end

    # And back up: the title is on screen again.
    for _ in range(5):
        _swipe(device, 300, 2100)
    assert _find(_dump(device), text="Settings") is not None


def test_a_tap_lands_on_what_is_visible_after_scrolling(device: adbutils.AdbDevice) -> None:
    root = _open_settings(device)
    field = _find(root, rid="feedback")
    assert field is not None
    _, top, _, bottom = _bounds(field)
    # Scroll so that only the lower part of the field is left under the status bar.
    drag = top - 84 + (bottom - top) // 2
    _swipe(device, 1500, 1500 - drag)
    shown = _find(_dump(device), rid="feedback")
    assert shown is not None
    left, vis_top, right, vis_bottom = _bounds(shown)
    assert (vis_top, vis_bottom) == (84, bottom - drag)  # clipped to the visible part
    device.shell(f"input tap {(left + right) // 2} {(vis_top + vis_bottom) // 2}")
    device.shell("input text scrolled")
    wait_for(lambda: _find(_dump(device), text="scrolled") is not None, WAIT)


def test_a_swipe_off_any_scrolling_view_changes_nothing(device: adbutils.AdbDevice) -> None:
    device.shell(f"am force-stop {PKG}")
    device.shell("input keyevent HOME")
    before = device.dump_hierarchy()
    _swipe(device, 1500, 500)  # the launcher does not scroll
    assert device.dump_hierarchy() == before
