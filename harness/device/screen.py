"""Screen features: the UI dump, taps, keys, screenshots."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

from harness.device.core import DeviceCore
from harness.device.names import keycode
from harness.errors import DeviceError
from harness.ui import UiTree, parse_hierarchy

DUMP_PATH = "/data/local/tmp/harness-uidump.xml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_MAX_COORD = 100_000
#: The three scales Developer options calls "animation scale" (``settings … global``).
ANIMATION_SCALES = (
    "window_animation_scale",
    "transition_animation_scale",
    "animator_duration_scale",
)


@dataclass(frozen=True)
class WakeResult:
    """What :meth:`ScreenMixin.wake_and_unlock` achieved."""

    woke: bool
    #: ``wm dismiss-keyguard`` accepted (a PIN/pattern lock still stays; a swipe lock goes).
    keyguard_dismissed: bool
    detail: str = ""


class ScreenMixin(DeviceCore):
    """What is on screen and how to act on it."""

    def dump_ui(
        self, *, attempts: int = 3, timeout: float | None = None, budget: float | None = None
    ) -> UiTree:
        """``uiautomator dump`` + pull, parsed. A malformed dump raises
        :class:`~harness.ui.UiDumpError`; a failed dump is retried (Android's
        ``could not get idle state`` is transient).

        ``budget`` bounds the whole call, retries included (each attempt gets what is
        left), so a caller polling within a step's timeout never waits past it."""
        end = None if budget is None else time.monotonic() + budget
        last = ""
        for attempt in range(attempts):
            wait = timeout
            if end is not None:
                left = end - time.monotonic()
                if left <= 0:
                    break
                wait = min(timeout or self.timeout, left)
            self.shell(["rm", "-f", DUMP_PATH], timeout=wait)
            result = self.shell(["uiautomator", "dump", DUMP_PATH], timeout=wait)
            if result.ok and "ERROR" not in result.output:
                return parse_hierarchy(self.read_file(DUMP_PATH))
            last = result.output.strip()[-300:]
            pause = 0.2 * (attempt + 1)
            if end is not None and time.monotonic() + pause >= end:
                break
            time.sleep(pause)
        within = f" within {budget:g}s" if budget is not None else f" {attempts} times"
        detail = last or "no time left for an attempt"
        raise DeviceError(f"{self.serial}: uiautomator dump failed{within}: {detail}")

    def tap(self, x: int, y: int) -> None:
        for v in (x, y):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < _MAX_COORD:
                raise DeviceError(f"not a screen coordinate: {v!r}")
        self.shell_ok(["input", "tap", str(x), str(y)])

    def key(self, name: str | int) -> None:
        """Press a key: ``BACK``, ``HOME``, ``KEYCODE_ENTER``, or a key code."""
        self.shell_ok(["input", "keyevent", keycode(name)])

    def wake_and_unlock(self) -> WakeResult:
        """Wake the screen and dismiss a swipe keyguard before an app is launched: an app
        started behind a lock screen shows its consent dialog to nobody, and taps and
        dumps then reach the keyguard instead.

        ``KEYCODE_WAKEUP`` (224) wakes without toggling, unlike POWER. A device without
        ``wm dismiss-keyguard`` (before Android 8) is reported, not an error."""
        woke = self.shell(["input", "keyevent", "KEYCODE_WAKEUP"])
        dismissed = self.shell(["wm", "dismiss-keyguard"])
        notes = []
        if not woke.ok:
            notes.append(f"input keyevent KEYCODE_WAKEUP: {woke.output.strip()[-200:]}")
        if not dismissed.ok:
            notes.append(f"wm dismiss-keyguard: {dismissed.output.strip()[-200:]}")
        return WakeResult(woke.ok, dismissed.ok, "; ".join(notes))

    def animation_scales(self) -> dict[str, str | None]:
        """The three animation scales; None where the setting is unset (``null``)."""
        out: dict[str, str | None] = {}
        for name in ANIMATION_SCALES:
            value = self.shell_ok(["settings", "get", "global", name]).stdout.strip()
            out[name] = None if value in ("", "null") else value
        return out

    @contextlib.contextmanager
    def no_animations(self) -> Iterator[dict[str, str | None]]:
        """Animation scales at 0 for the block (``uiautomator dump`` fails with "could not
        get idle state" while a screen animates), restored after — unset ones deleted
        again. Yields the values found before."""
        before = self.animation_scales()
        try:
            for name in ANIMATION_SCALES:
                self.shell_ok(["settings", "put", "global", name, "0"])
            yield before
        finally:
            for name, value in before.items():
                with contextlib.suppress(DeviceError):
                    if value is None:
                        self.shell(["settings", "delete", "global", name])
                    else:
                        self.shell(["settings", "put", "global", name, value])

    def screenshot(self) -> bytes:
        """The screen as PNG bytes."""
        data = self._run_bytes(["screencap", "-p"])
        if not data.startswith(PNG_MAGIC):
            raise DeviceError(f"{self.serial}: screencap did not return a PNG ({data[:16]!r})")
        return data
