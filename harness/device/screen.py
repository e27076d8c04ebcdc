"""Screen features: the UI dump, taps, keys, screenshots."""

from __future__ import annotations

import time

from harness.device.core import DeviceCore
from harness.device.names import keycode
from harness.errors import DeviceError
from harness.ui import UiTree, parse_hierarchy

DUMP_PATH = "/data/local/tmp/harness-uidump.xml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_MAX_COORD = 100_000


class ScreenMixin(DeviceCore):
    """What is on screen and how to act on it."""

    def dump_ui(self, *, attempts: int = 3, timeout: float | None = None) -> UiTree:
        """``uiautomator dump`` + pull, parsed. A malformed dump raises
        :class:`~harness.ui.UiDumpError`; a failed dump is retried (Android's
        ``could not get idle state`` is transient)."""
        last = ""
        for attempt in range(attempts):
            self.shell(["rm", "-f", DUMP_PATH])
            result = self.shell(["uiautomator", "dump", DUMP_PATH], timeout=timeout)
            if result.ok and "ERROR" not in result.output:
                return parse_hierarchy(self.read_file(DUMP_PATH))
            last = result.output.strip()[-300:]
            time.sleep(0.2 * (attempt + 1))
        raise DeviceError(f"{self.serial}: uiautomator dump failed {attempts} times: {last}")

    def tap(self, x: int, y: int) -> None:
        for v in (x, y):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < _MAX_COORD:
                raise DeviceError(f"not a screen coordinate: {v!r}")
        self.shell_ok(["input", "tap", str(x), str(y)])

    def key(self, name: str | int) -> None:
        """Press a key: ``BACK``, ``HOME``, ``KEYCODE_ENTER``, or a key code."""
        self.shell_ok(["input", "keyevent", keycode(name)])

    def screenshot(self) -> bytes:
        """The screen as PNG bytes."""
        data = self._run_bytes(["screencap", "-p"])
        if not data.startswith(PNG_MAGIC):
            raise DeviceError(f"{self.serial}: screencap did not return a PNG ({data[:16]!r})")
        return data
