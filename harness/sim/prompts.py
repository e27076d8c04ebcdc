"""The device's own runtime-permission dialog (PermissionController's GrantPermissionsActivity).

Two looks, by device profile (harness.sim.identity.PROFILES):

* ``aosp`` — package ``com.android.permissioncontroller``, one prompt per permission with
  Allow / Don't allow (the simulator's first dialog; kept as it was).
* ``google`` — package ``com.google.android.permissioncontroller`` (view ids keep the
  module's ``com.android.permissioncontroller:id/…`` namespace, as on Google images), one
  prompt per permission *group*, with the Android 12+ buttons of ``grant_permissions.xml``:
  location, camera and microphone get While using the app / Only this time / Don't allow,
  other groups Allow / Don't allow; a location prompt that includes ACCESS_FINE_LOCATION
  also gets the Precise / Approximate radios (Precise checked), and Approximate grants
  ACCESS_COARSE_LOCATION only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.sim.identity import CONTROLLER_ID_NAMESPACE, permission_controller
from harness.sim.windows import Node, Surface, Window

if TYPE_CHECKING:
    from harness.sim.device import SimDevice

CONTROLLER = CONTROLLER_ID_NAMESPACE  # the aosp profile's package; ids on both profiles
ALLOW_ID = f"{CONTROLLER}:id/permission_allow_button"
DENY_ID = f"{CONTROLLER}:id/permission_deny_button"
MESSAGE_ID = f"{CONTROLLER}:id/permission_message"
FOREGROUND_ID = f"{CONTROLLER}:id/permission_allow_foreground_only_button"
ONE_TIME_ID = f"{CONTROLLER}:id/permission_allow_one_time_button"
FINE_ID = f"{CONTROLLER}:id/permission_location_accuracy_radio_fine"
COARSE_ID = f"{CONTROLLER}:id/permission_location_accuracy_radio_coarse"
ACCURACY_ID = f"{CONTROLLER}:id/permission_location_accuracy"
ACTIVITY = "com.android.permissioncontroller.permission.ui.GrantPermissionsActivity"
PROMPT_WINDOW_ID = -100
_ALLOW_VID, _DENY_VID, _ONE_TIME_VID, _FINE_VID, _COARSE_VID = -101, -102, -105, -106, -107

FINE = "android.permission.ACCESS_FINE_LOCATION"
COARSE = "android.permission.ACCESS_COARSE_LOCATION"

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
#: Groups whose Android 11+ prompt offers "While using the app" and "Only this time".
_FOREGROUND_GROUPS = frozenset({"LOCATION", "CAMERA", "RECORD_AUDIO"})


def _group(perm: str) -> str:
    name = perm.rsplit(".", 1)[-1]
    for key in _WHAT:
        if key in name:
            return key
    if name in ("READ_PHONE_STATE", "READ_PHONE_NUMBERS", "CALL_PHONE"):
        return "PHONE"
    return name


def _what(perm: str) -> str:
    group = _group(perm)
    return _WHAT.get(group, f"use {group}")


@dataclass
class Prompt:
    package: str
    req: int
    pending: list[str]
    results: dict[str, bool] = field(default_factory=dict)
    precise: bool = True  # the location accuracy radios' choice (google profile)


class PromptQueue:
    def __init__(self, device: SimDevice) -> None:
        self.device = device
        self.google = device.config.profile == "google"
        self.package = permission_controller(device.config.profile)
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

    def _shown(self, prompt: Prompt) -> list[str]:
        """The permissions the prompt on screen decides: one (aosp), or its group (google)."""
        if not self.google:
            return prompt.pending[:1]
        group = _group(prompt.pending[0])
        return [p for p in prompt.pending if _group(p) == group]

    def answer(self, allow: bool, *, one_time: bool = False) -> None:
        prompt = self.current()
        if prompt is None:
            return
        installed = self.device.packages.get(prompt.package)
        for perm in self._shown(prompt):
            prompt.pending.remove(perm)
            # Approximate: the location grant is ACCESS_COARSE_LOCATION only.
            grant = allow and not (perm == FINE and not prompt.precise)
            prompt.results[perm] = grant
            if installed is not None:
                (installed.grants.add if grant else installed.grants.discard)(perm)
            how = "granted" + (" (one time)" if one_time else "") if grant else "denied"
            self.device.logcat.add(self.device.system_pid, "I", "GrantPermissions",
                                   f"{prompt.package} {perm} {how}")
        if (allow and self.google and not prompt.precise and installed is not None
                and COARSE in installed.manifest.permissions):
            installed.grants.add(COARSE)
            if COARSE not in prompt.results:
                self.device.logcat.add(self.device.system_pid, "I", "GrantPermissions",
                                       f"{prompt.package} {COARSE} granted (approximate)")
            prompt.results[COARSE] = True
        prompt.precise = True
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
        views = (self._google_views(prompt, left, right, top + 300) if self.google
                 else self._aosp_views(left, right, top + 300))
        root = Node(vid=-104, cls="android.widget.LinearLayout",
                    bounds=(left, top, right, views[-1].bounds[3] + 60),
                    children=[message, *views])
        window = Window(id=PROMPT_WINDOW_ID, type="dialog",
                        title=f"{self.package}/{ACTIVITY}", root=root)
        return Surface(self.package, window, system=True)

    @staticmethod
    def _aosp_views(left: int, right: int, y: int) -> list[Node]:
        allow = Node(vid=_ALLOW_VID, cls="android.widget.Button", text="Allow", rid=ALLOW_ID,
                     clickable=True, bounds=(left + 60, y, right - 60, y + 140))
        deny = Node(vid=_DENY_VID, cls="android.widget.Button", text="Don't allow",
                    rid=DENY_ID, clickable=True, bounds=(left + 60, y + 160, right - 60, y + 300))
        return [allow, deny]

    def _google_views(self, prompt: Prompt, left: int, right: int, y: int) -> list[Node]:
        shown = self._shown(prompt)
        views: list[Node] = []
        if FINE in shown:
            mid = (left + right) // 2
            radios = [
                Node(vid=_FINE_VID, cls="android.widget.RadioButton", text="Precise",
                     rid=FINE_ID, clickable=True, checkable=True, checked=prompt.precise,
                     bounds=(left + 60, y, mid - 20, y + 200)),
                Node(vid=_COARSE_VID, cls="android.widget.RadioButton", text="Approximate",
                     rid=COARSE_ID, clickable=True, checkable=True, checked=not prompt.precise,
                     bounds=(mid + 20, y, right - 60, y + 200)),
            ]
            views.append(Node(vid=-108, cls="android.widget.LinearLayout", rid=ACCURACY_ID,
                              bounds=(left + 60, y, right - 60, y + 200), children=radios))
            y += 240
        if _group(shown[0]) in _FOREGROUND_GROUPS:
            buttons = [(_ALLOW_VID, "While using the app", FOREGROUND_ID),
                       (_ONE_TIME_VID, "Only this time", ONE_TIME_ID)]
        else:
            buttons = [(_ALLOW_VID, "Allow", ALLOW_ID)]
        buttons.append((_DENY_VID, "Don't allow", DENY_ID))
        for vid, text, rid in buttons:
            views.append(Node(vid=vid, cls="android.widget.Button", text=text, rid=rid,
                              clickable=True, bounds=(left + 60, y, right - 60, y + 140)))
            y += 160
        return views

    def click(self, vid: int) -> None:
        prompt = self.current()
        if prompt is None:
            return
        if vid == _ALLOW_VID:
            self.answer(True)
        elif vid == _ONE_TIME_VID:
            self.answer(True, one_time=True)
        elif vid == _DENY_VID:
            self.answer(False)
        elif vid in (_FINE_VID, _COARSE_VID):
            prompt.precise = vid == _FINE_VID
