"""The device's own runtime-permission dialog (com.android.permissioncontroller)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.sim.windows import Node, Surface, Window

if TYPE_CHECKING:
    from harness.sim.device import SimDevice

CONTROLLER = "com.android.permissioncontroller"
ALLOW_ID = f"{CONTROLLER}:id/permission_allow_button"
DENY_ID = f"{CONTROLLER}:id/permission_deny_button"
MESSAGE_ID = f"{CONTROLLER}:id/permission_message"
PROMPT_WINDOW_ID = -100
_ALLOW_VID, _DENY_VID = -101, -102

_WHAT = {
    "LOCATION": "access this device's location",
    "CONTACTS": "access your contacts",
    "CAMERA": "take pictures and record video",
    "RECORD_AUDIO": "record audio",
    "PHONE": "make and manage phone calls",
    "SMS": "send and view SMS messages",
    "CALL_LOG": "access your phone call logs",
    "CALENDAR": "access your calendar",
    "STORAGE": "access photos and media on your device",
    "ACCOUNTS": "find accounts on your device",
}


def _what(perm: str) -> str:
    name = perm.rsplit(".", 1)[-1]
    for key, text in _WHAT.items():
        if key in name:
            return text
    if name in ("READ_PHONE_STATE", "READ_PHONE_NUMBERS", "CALL_PHONE"):
        return _WHAT["PHONE"]
    return f"use {name}"


@dataclass
class Prompt:
    package: str
    req: int
    pending: list[str]
    results: dict[str, bool] = field(default_factory=dict)


class PromptQueue:
    def __init__(self, device: SimDevice) -> None:
        self.device = device
        self.queue: list[Prompt] = []

    def request(self, package: str, req: int, perms: list[str]) -> None:
        installed = self.device.packages.get(package)
        declared = set(installed.manifest.permissions) if installed else set()
        granted = installed.grants if installed else set()
        prompt = Prompt(package, req, [])
        for perm in perms:
            if perm in granted:
                prompt.results[perm] = True
            elif perm not in declared:
                # Android denies undeclared permissions without asking.
                prompt.results[perm] = False
            elif perm not in prompt.pending:
                prompt.pending.append(perm)
        if prompt.pending:
            self.queue.append(prompt)
            self.device.logcat.add(self.device.system_pid, "I", "GrantPermissions",
                                   f"show dialog for {package} {prompt.pending[0]}")
        else:
            self._finish(prompt)

    def current(self) -> Prompt | None:
        return self.queue[0] if self.queue else None

    def answer(self, allow: bool) -> None:
        prompt = self.current()
        if prompt is None:
            return
        perm = prompt.pending.pop(0)
        prompt.results[perm] = allow
        installed = self.device.packages.get(prompt.package)
        if installed is not None:
            (installed.grants.add if allow else installed.grants.discard)(perm)
        self.device.logcat.add(self.device.system_pid, "I", "GrantPermissions",
                               f"{prompt.package} {perm} {'granted' if allow else 'denied'}")
        if not prompt.pending:
            self.queue.pop(0)
            self._finish(prompt)

    def _finish(self, prompt: Prompt) -> None:
        app = self.device.procs.apps.get(prompt.package)
        if app is not None:
            app.send({"t": "perm_result", "req": prompt.req, "results": prompt.results})

    def drop_package(self, package: str) -> None:
        self.queue = [p for p in self.queue if p.package != package]

    def surface(self) -> Surface | None:
        prompt = self.current()
        if prompt is None:
            return None
        width, height = self.device.config.width, self.device.config.height
        installed = self.device.packages.get(prompt.package)
        label = installed.manifest.label if installed else prompt.package
        top = height // 2 - 330
        left, right = 60, width - 60
        message = Node(vid=-103, cls="android.widget.TextView", rid=MESSAGE_ID,
                       text=f"Allow {label} to {_what(prompt.pending[0])}?",
                       bounds=(left + 60, top + 60, right - 60, top + 260))
        allow = Node(vid=_ALLOW_VID, cls="android.widget.Button", text="Allow", rid=ALLOW_ID,
                     clickable=True, bounds=(left + 60, top + 300, right - 60, top + 440))
        deny = Node(vid=_DENY_VID, cls="android.widget.Button", text="Don't allow",
                    rid=DENY_ID, clickable=True,
                    bounds=(left + 60, top + 460, right - 60, top + 600))
        root = Node(vid=-104, cls="android.widget.LinearLayout",
                    bounds=(left, top, right, top + 660), children=[message, allow, deny])
        window = Window(id=PROMPT_WINDOW_ID, type="dialog",
                        title=f"{CONTROLLER}/.permission.ui.GrantPermissionsActivity",
                        root=root)
        return Surface(CONTROLLER, window, system=True)

    def click(self, vid: int) -> None:
        if vid == _ALLOW_VID:
            self.answer(True)
        elif vid == _DENY_VID:
            self.answer(False)
