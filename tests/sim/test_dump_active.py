"""``uiautomator dump`` as on Android: the active (focused) window only, and no dump while
the screen animates. Runs its own device whose app is the stand-in at the bottom of this
file (it is also the launcher: ``SimCluster(launcher=STANDIN)``), over the real adb.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")
STANDIN = f"{Path(__file__).resolve()}:launch_argv"
PACKAGE = "com.example.dumptest"
DUMP = "/sdcard/active.xml"


def launch_argv(app_dir: Path, activity: str | None) -> list[str]:
    return [sys.executable, "-u", str(Path(__file__).resolve())]


def standin_package() -> bytes:
    import io
    import zipfile

    manifest = {"format": 1, "package": PACKAGE, "label": "DumpTest", "version_name": "1",
                "version_code": 1, "main_activity": ".MainActivity",
                "permissions": ["android.permission.CAMERA"]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
    return buf.getvalue()


# ----------------------------------------------------------------------------- tests


def _wait(probe: Callable[[], T | None], what: str, timeout: float = 60.0) -> T:
    # not tests.sim.tests_sim_helpers.wait_for: this file is also the stand-in app's
    # program, run where the tests package cannot be imported
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from harness.sim import SimCluster

    apk = tmp_path_factory.mktemp("dumptest") / "dumptest.apk"
    apk.write_bytes(standin_package())
    with SimCluster(count=1, preinstall=False, launcher=STANDIN) as cluster:
        device = cluster.client().device(cluster.serials[0])
        device.install(str(apk))
        yield device


def _dump(dev: Any) -> tuple[int, str, str, str]:
    """(exit status, stdout, stderr, the dump file's text or "")."""
    dev.shell2(f"rm -f {DUMP}")
    result = dev.shell2(f"uiautomator dump {DUMP}", timeout=60, v2=True)
    xml = dev.shell2(f"cat {DUMP} 2>/dev/null").output if "dumped" in result.stdout else ""
    return result.returncode, result.stdout, result.stderr, xml


def _texts(xml: str) -> list[str]:
    return re.findall(r' text="([^"]+)"', xml)


def _tap_text(dev: Any, xml: str, text: str) -> None:
    match = re.search(rf'text="{re.escape(text)}"[^>]*bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"', xml)
    assert match, f"{text!r} not in the dump"
    left, top, right, bottom = map(int, match.groups())
    dev.shell(f"input tap {(left + right) // 2} {(top + bottom) // 2}")


def _screen(dev: Any, text: str) -> str | None:
    _code, _out, _err, xml = _dump(dev)
    return xml if text in _texts(xml) else None


def test_dump_is_the_focused_window_and_a_prompt_hides_the_dialog(dev: Any) -> None:
    dev.shell(f"am force-stop {PACKAGE}")
    dev.shell(f"pm revoke {PACKAGE} android.permission.CAMERA")
    dev.shell(f"am start -n {PACKAGE}/.MainActivity")
    xml = _wait(lambda: _screen(dev, "Privacy Policy"), "the consent dialog")
    texts = _texts(xml)
    # the dialog is the focused window: neither the activity under it nor the
    # non-focusable banner popup above it is in the dump
    assert "Main screen" not in texts and "Banner" not in texts
    assert len(re.findall(r"^  <node ", xml, re.M)) == 1  # one window's root
    _tap_text(dev, xml, "Ask")
    prompt = _wait(lambda: _screen(dev, "Don't allow"), "the permission prompt")
    assert "Privacy Policy" not in _texts(prompt)  # hidden behind the prompt
    assert "com.android.permissioncontroller" in prompt
    _tap_text(dev, prompt, "Don't allow")
    again = _wait(lambda: _screen(dev, "Privacy Policy"), "the dialog, found again")
    assert "Don't allow" not in _texts(again)


def test_dump_fails_while_the_screen_animates(dev: Any) -> None:
    dev.shell(f"am force-stop {PACKAGE}")
    dev.shell(f"am start -n {PACKAGE}/.MainActivity")
    xml = _wait(lambda: _screen(dev, "Privacy Policy"), "the consent dialog")
    _tap_text(dev, xml, "Spin")  # animates until tapped again
    # AOSP's DumpCommand: stderr line, no file, exit status 0 (after its 10 s idle wait)
    code, out, err, dumped = _wait(lambda: (lambda r: r if r[2] else None)(_dump(dev)),
                                   "a failed dump")
    assert (code, out, err.strip(), dumped) == (0, "", "ERROR: could not get idle state.", "")
    dev.shell("input tap 540 1360")  # Spin again: the animation stops
    settled = _wait(lambda: _screen(dev, "Privacy Policy"), "a dump once the screen is idle")
    assert "Spin" in _texts(settled)


# ------------------------------------------------------------------- the stand-in app


def _node(vid: int, text: str, bounds: list[int], clickable: bool = False,
          children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"vid": vid, "cls": "android.widget.Button" if clickable else "android.view.View",
            "text": text, "bounds": bounds, "clickable": clickable, "children": children or []}


class _StandIn:
    """An activity, a consent dialog (Ask: a permission request; Spin: toggles an
    animation; Bounce: animates for 4 s), and a non-focusable banner popup on top."""

    def __init__(self) -> None:
        host, port = os.environ["SIM_BRIDGE"].rsplit(":", 1)
        self.file = socket.create_connection((host, int(port))).makefile("rwb")
        self.lock = threading.Lock()
        self.animating = False

    def send(self, message: dict[str, Any]) -> None:
        with self.lock:
            self.file.write(json.dumps(message).encode() + b"\n")
            self.file.flush()

    def show(self) -> None:
        main = {"id": 1, "type": "activity", "title": "main",
                "root": _node(1, "", [0, 0, 1080, 2340],
                              children=[_node(2, "Main screen", [0, 100, 1080, 200])])}
        dialog = {"id": 2, "type": "dialog", "title": "consent",
                  "root": _node(10, "", [90, 800, 990, 1700], children=[
                      _node(11, "Privacy Policy", [120, 830, 960, 1000]),
                      _node(12, "Ask", [120, 1100, 960, 1220], True),
                      _node(13, "Spin", [120, 1300, 960, 1420], True),
                      _node(14, "Bounce", [120, 1500, 960, 1620], True)])}
        banner = {"id": 3, "type": "popup", "title": "banner", "focusable": False,
                  "root": _node(20, "Banner", [0, 2200, 1080, 2340])}
        self.send({"t": "windows", "windows": [main, dialog, banner],
                   "animating": self.animating})

    def animate(self, on: bool) -> None:
        self.animating = on
        self.show()

    def run(self) -> int:
        self.send({"t": "hello", "pkg": os.environ["SIM_PACKAGE"], "pid": os.getpid()})
        self.show()
        for line in self.file:
            message = json.loads(line)
            if message.get("t") != "click":
                continue
            vid = message["vid"]
            if vid == 12:
                self.send({"t": "perm_request", "req": 1, "perms": ["android.permission.CAMERA"]})
            elif vid == 13:
                self.animate(not self.animating)
            elif vid == 14:
                self.animate(True)
                threading.Timer(4.0, self.animate, (False,)).start()
        return 0


if __name__ == "__main__":
    sys.exit(_StandIn().run())
