"""Screen features: the UI dump, taps, swipes, keys, screenshots."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

from harness.device.core import DeviceCore
from harness.device.errors import DeviceTimeout, UiBusy
from harness.device.names import keycode
from harness.errors import DeviceError
from harness.ui import UiTree, parse_hierarchy

DUMP_PATH = "/data/local/tmp/harness-uidump.xml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Seconds one ``uiautomator dump`` attempt may take. A settled screen dumps in well under
#: a second on the simulator (a phone's uiautomator always waits 1 s of quiet first); the
#: tool's own 10 s idle wait is longer than a consent step's timeout.
DUMP_TIMEOUT = 3.0
#: What ``uiautomator dump`` prints when the screen is busy rather than broken: an
#: animation (AOSP DumpCommand), a window in transition, a UiAutomation still connected.
_BUSY = ("could not get idle state", "null root node", "already registered")
_MAX_COORD = 100_000
#: The three scales Developer options calls "animation scale" (``settings … global``).
ANIMATION_SCALES = (
    "window_animation_scale",
    "transition_animation_scale",
    "animator_duration_scale",
)


#: Longest text ``input_text`` types in one go.
MAX_INPUT_TEXT = 1000
#: A swipe's default length: slow enough that a phone's list barely flings on after the
#: finger lifts (a fling's reach grows with the speed at lift-off), so a step that swipes
#: then reads the screen skips no row.
SWIPE_MS = 800
MAX_SWIPE_MS = 10_000
#: How much longer than the gesture ``input swipe`` may take (adb round trip, injection).
SWIPE_SLACK_S = 15.0


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
        self, *, attempts: int = 1, timeout: float | None = None, budget: float | None = None
    ) -> UiTree:
        """``uiautomator dump`` + pull, parsed: the active window only, as on Android.

        Each attempt is short (``timeout``, default :data:`DUMP_TIMEOUT`): the tool itself
        waits up to 10 s for an idle screen, longer than a step may wait. A screen that
        stays busy — "could not get idle state", no answer in time, another UiAutomation
        client still connected — raises :class:`UiBusy` after ``attempts`` tries (default
        one: a poller's next poll is the retry). A malformed dump raises
        :class:`~harness.ui.UiDumpError`, any other failure :class:`DeviceError`.

        ``budget`` bounds the whole call, retries included (each attempt gets what is
        left), so a caller polling within a step's timeout never waits past it."""
        start = time.monotonic()
        end = None if budget is None else start + budget
        per_try = timeout or DUMP_TIMEOUT
        last = ""
        busy = True
        for attempt in range(max(1, attempts)):
            wait = per_try
            if end is not None:
                wait = min(per_try, end - time.monotonic())
                if wait <= 0.05:
                    break
            try:
                result = self.shell(["uiautomator", "dump", DUMP_PATH], timeout=wait)
            except DeviceTimeout:
                # On a phone the abandoned dump may still hold UiAutomation for up to 10 s;
                # the next attempt then says "already registered", also a busy screen.
                last, busy = f"no dump within {wait:.1f}s (screen busy)", True
            else:
                text = result.output.strip()
                if result.ok and "ERROR" not in result.output and "dumped to" in text:
                    # "dumped to" is this run's own word that the file is fresh; removing it
                    # after reading leaves /data/local/tmp as it was.
                    data = self.read_file(DUMP_PATH)
                    with contextlib.suppress(DeviceError):
                        self.shell(["rm", "-f", DUMP_PATH], timeout=wait)
                    return parse_hierarchy(data)
                last = text[-300:] or f"exit status {result.exit_code}, no output"
                busy = any(marker in text for marker in _BUSY)
            pause = min(0.2 * (attempt + 1), 1.0)
            if attempt + 1 >= attempts or (end is not None and time.monotonic() + pause >= end):
                break
            time.sleep(pause)
        spent = time.monotonic() - start
        message = (f"{self.serial}: uiautomator dump failed after {spent:.1f}s: "
                   f"{last or 'no time left for an attempt'}")
        raise UiBusy(message) if busy else DeviceError(message)

    def tap(self, x: int, y: int) -> None:
        for v in (x, y):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < _MAX_COORD:
                raise DeviceError(f"not a screen coordinate: {v!r}")
        self.shell_ok(["input", "tap", str(x), str(y)])

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = SWIPE_MS) -> None:
        """Drag a finger from (x1, y1) to (x2, y2) in ``duration_ms`` (``input swipe``): a
        scrollable view under the start scrolls. ``input`` returns once the gesture is
        injected; a phone's view may still fling on after that (a slow drag flings less)."""
        for v in (x1, y1, x2, y2):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < _MAX_COORD:
                raise DeviceError(f"not a screen coordinate: {v!r}")
        if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or not (
                0 <= duration_ms <= MAX_SWIPE_MS):
            raise DeviceError(f"swipe duration must be 0-{MAX_SWIPE_MS} ms: {duration_ms!r}")
        self.shell_ok(["input", "swipe", str(x1), str(y1), str(x2), str(y2), str(duration_ms)],
                      timeout=duration_ms / 1000 + SWIPE_SLACK_S)

    def input_text(self, text: str) -> None:
        """Type ``text`` into the focused field (``input text``). Android's tool takes
        printable ASCII only and reads ``%s`` as a space, so spaces are sent that way;
        the argument is quoted for the device shell like every other."""
        if not text or len(text) > MAX_INPUT_TEXT or not all(" " <= c <= "~" for c in text):
            raise DeviceError(
                f"input text takes 1-{MAX_INPUT_TEXT} printable ASCII characters: {text!r}")
        self.shell_ok(["input", "text", text.replace(" ", "%s")])

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
