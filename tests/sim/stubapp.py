"""A stand-in sim app for the device tests: speaks the bridge protocol, nothing more.

The real app runtime (harness.sim.runtime, JVM apps) is tested by its own tests; this
stub lets the device's process manager, bridge, input and dumps be tested on their own.
Run by the device through ``launch_argv`` below (``SimCluster(launcher=STUB_LAUNCHER)``).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any


def launch_argv(app_dir: Path, activity: str | None) -> list[str]:
    return [sys.executable, "-u", str(Path(__file__).resolve()), str(app_dir), activity or ""]


def _node(vid: int, cls: str, text: str, bounds: list[int], rid: str = "",
          clickable: bool = False, children: list[dict[str, Any]] | None = None
          ) -> dict[str, Any]:
    return {"vid": vid, "cls": cls, "text": text, "rid": rid, "desc": "", "bounds": bounds,
            "clickable": clickable, "children": children or []}


class StubApp:
    def __init__(self) -> None:
        self.pkg = os.environ["SIM_PACKAGE"]
        self.data = Path(os.environ["SIM_DATA_DIR"])
        host, port = os.environ["SIM_BRIDGE"].rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)))
        self.file = self.sock.makefile("rwb")
        self.consent_file = self.data / "shared_prefs" / "consent.xml"
        self.dialog = not self.consent_file.exists()

    def send(self, message: dict[str, Any]) -> None:
        self.file.write(json.dumps(message).encode() + b"\n")
        self.file.flush()

    def log(self, msg: str) -> None:
        self.send({"t": "log", "level": "I", "tag": "StubApp", "msg": msg})

    def show(self) -> None:
        p = self.pkg
        main = {"id": 1, "type": "activity", "title": f"{p}/.MainActivity",
                "root": _node(1, "android.widget.FrameLayout", "", [0, 0, 1080, 2340],
                              children=[_node(2, "android.widget.TextView", "Welcome",
                                              [0, 100, 1080, 200]),
                                        _node(3, "android.widget.Button", "Locate",
                                              [100, 300, 980, 420], f"{p}:id/locate", True)])}
        windows = [main]
        if self.dialog:
            windows.append({"id": 2, "type": "dialog", "title": "consent",
                            "root": _node(10, "android.widget.LinearLayout", "",
                                          [90, 800, 990, 1500], children=[
                                _node(11, "android.widget.TextView",
                                      "Privacy Policy <&> \"terms\"", [120, 830, 960, 1000]),
                                _node(12, "android.widget.Button", "Agree",
                                      [120, 1100, 960, 1220], f"{p}:id/agree", True),
                                _node(13, "android.widget.Button", "Disagree",
                                      [120, 1300, 960, 1420], f"{p}:id/disagree", True)])})
        self.send({"t": "windows", "windows": windows})

    def run(self) -> int:
        self.send({"t": "hello", "pkg": self.pkg, "pid": os.getpid()})
        self.log(f"started activity={sys.argv[2]} wait={os.environ['SIM_WAIT_DEBUGGER']} "
                 f"grants={os.environ['SIM_GRANTS']} device={os.environ['SIM_DEVICE']}")
        print("stdout line from stub", flush=True)
        self.show()
        for line in self.file:
            message = json.loads(line)
            kind = message["t"]
            if kind == "click":
                vid = message["vid"]
                self.log(f"click {vid}")
                if vid == 12:
                    self.consent_file.write_text("<map><boolean name='ok' value='true'/></map>")
                    self.dialog = False
                    self.show()
                elif vid == 13:
                    return 0
                elif vid == 3:
                    self.send({"t": "perm_request", "req": 7,
                               "perms": ["android.permission.ACCESS_FINE_LOCATION",
                                         "android.permission.CAMERA"]})
            elif kind == "key":
                self.log(f"key {message['key']}")
                if message["key"] == "BACK" and not self.dialog:
                    return 0
            else:
                self.log(f"{kind} {json.dumps(message, sort_keys=True)}")
        return 0


if __name__ == "__main__":
    sys.exit(StubApp().run())
