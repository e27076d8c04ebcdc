"""Waiting for the consent dialog and the system's permission prompt on a device's screen
(shared by the prompt tests of both simulator profiles)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from harness.device import Device
from harness.ui import UiTree
from harness.ui.permissions import prompt_message

T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    """``probe()``'s first truthy answer; fails naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def prompt_asking(device: Device, word: str) -> UiTree | None:
    """The screen, when a permission prompt whose message names ``word`` is on it."""
    tree = device.dump_ui()
    return tree if word in prompt_message(tree).lower() else None
