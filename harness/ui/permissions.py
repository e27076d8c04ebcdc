"""Android's runtime-permission prompt, recognised by its resource ids.

The prompt is PermissionController's ``GrantPermissionsActivity``. Its window's
package differs between images — ``com.android.permissioncontroller`` on AOSP,
``com.google.android.permissioncontroller`` on Google images, ``…packageinstaller``
before Android 10 — but the view ids keep the module's own namespace
(``com.android.permissioncontroller:id/permission_allow_button``), so ids decide and
window packages only back up the text fallback (OEM skins that rename ids).

The buttons (PermissionController's ``grant_permissions.xml``, Android 10-14):
``permission_allow_button`` (Allow), ``…_allow_foreground_only_button`` (While using
the app), ``…_allow_one_time_button`` (Only this time), ``…_allow_always_button``
(Allow all the time, Android 10), ``…_allow_all_button`` / ``…_allow_selected_button``
(Android 14 photos), ``permission_deny_button``, ``…_deny_and_dont_ask_again_button``
(the second refusal on 11+), ``…_dont_allow_more_selected_button`` and the
``…_no_upgrade…`` family (keep the lesser grant: a refusal of the upgrade).
"""

from __future__ import annotations

import re
from typing import Literal

from harness.ui.tree import UiNode, UiTree

#: Packages a prompt window may report.
CONTROLLER_PACKAGES = frozenset(
    {
        "com.android.permissioncontroller",
        "com.google.android.permissioncontroller",
        "com.android.packageinstaller",
        "com.google.android.packageinstaller",
    }
)
#: Resource-id namespaces of the prompt's views (the same on Google images).
ID_NAMESPACES = ("com.android.permissioncontroller", "com.android.packageinstaller")

AllowMode = Literal["while_using", "one_time", "always"]

_ALLOW_WHILE_USING = (
    "permission_allow_foreground_only_button",
    "permission_allow_button",
    "permission_allow_all_button",
    "permission_allow_always_button",
)
ALLOW_IDS: dict[AllowMode, tuple[str, ...]] = {
    "while_using": _ALLOW_WHILE_USING,
    # Only location, camera and microphone offer "Only this time"; elsewhere the
    # nearest grant is the plain Allow.
    "one_time": ("permission_allow_one_time_button", *_ALLOW_WHILE_USING),
    "always": (
        "permission_allow_always_button",
        "permission_allow_all_button",
        "permission_allow_button",
        "permission_allow_foreground_only_button",
    ),
}
DENY_IDS = (
    "permission_deny_button",
    "permission_deny_and_dont_ask_again_button",
    "permission_dont_allow_more_selected_button",
    "permission_no_upgrade_button",
    "permission_no_upgrade_and_dont_ask_again_button",
    "permission_no_upgrade_one_time_button",
    "permission_no_upgrade_one_time_and_dont_ask_again_button",
)
_DONT_ASK_AGAIN = tuple(i for i in DENY_IDS if i.endswith("dont_ask_again_button"))
#: Ids only the prompt has (besides its buttons).
_PROMPT_IDS = frozenset(
    {"grant_dialog", "grant_singleton", "permission_message", "permission_location_accuracy"}
    | set(DENY_IDS)
    | {i for ids in ALLOW_IDS.values() for i in ids}
    | {"permission_allow_selected_button", "permission_allow_one_time_button"}
)

# Text fallback (whole label, case-insensitive), only inside a controller window.
_ALLOW_TEXT: dict[AllowMode, re.Pattern[str]] = {
    "while_using": re.compile(
        r"^(while using the app|allow only while using the app|allow|允许|"
        r"仅在使用该应用时允许|仅在使用中允许|使用时允许)$", re.I),
    "one_time": re.compile(r"^(only this time|仅限这一次|本次运行允许|仅本次允许)$", re.I),
    "always": re.compile(r"^(allow all the time|始终允许|一律允许)$", re.I),
}
_DENY_TEXT = re.compile(r"^(don.t allow|deny|拒绝|不允许|禁止)$", re.I)


def local_id(node: UiNode) -> str | None:
    """``permission_allow_button`` for a prompt view id, None for anything else."""
    namespace, sep, name = node.resource_id.partition(":id/")
    return name if sep and namespace in ID_NAMESPACES else None


def _usable(node: UiNode) -> bool:
    return node.enabled and node.visible


def prompt_window(tree: UiTree) -> UiNode | None:
    """The root of the (topmost) window showing a permission prompt, or None."""
    for root in reversed(tree.roots):
        for node in root.iter():
            if local_id(node) in _PROMPT_IDS:
                return root
        if root.package in CONTROLLER_PACKAGES and any(
            _DENY_TEXT.match(n.label) for n in root.iter() if n.clickable
        ):
            return root
    return None


def is_permission_prompt(tree: UiTree) -> bool:
    return prompt_window(tree) is not None


def prompt_message(tree: UiTree) -> str:
    """The prompt's question ("Allow News to access this device's location?")."""
    window = prompt_window(tree)
    if window is None:
        return ""
    for node in window.iter():
        if local_id(node) == "permission_message":
            return node.label
    return ""


def _button(tree: UiTree, ids: tuple[str, ...], text: re.Pattern[str]) -> UiNode | None:
    window = prompt_window(tree)
    if window is None:
        return None
    nodes = [n for n in window.iter() if _usable(n)]
    by_id = {local_id(n): n for n in reversed(nodes) if local_id(n)}
    for wanted in ids:
        if wanted in by_id:
            return by_id[wanted]
    # Ids renamed (an OEM skin): the button's label, in the prompt window only.
    for node in nodes:
        if node.clickable and text.match(node.label):
            return node
    return None


def allow_button(tree: UiTree, mode: AllowMode = "while_using") -> UiNode | None:
    """The button that grants the prompt's permission in ``mode``; None without a prompt.

    ``while_using`` (the default) is what a user choosing "allow" taps: While using the
    app, else Allow / Allow all. ``one_time`` prefers Only this time; ``always`` Allow
    all the time."""
    if mode not in ALLOW_IDS:
        raise ValueError(f"unknown allow mode {mode!r}; expected one of {sorted(ALLOW_IDS)}")
    return _button(tree, ALLOW_IDS[mode], _ALLOW_TEXT[mode])


def deny_button(tree: UiTree, *, dont_ask_again: bool = False) -> UiNode | None:
    """The button that refuses the prompt (Don't allow; keep the lesser grant on an
    upgrade prompt); with ``dont_ask_again`` the "don't ask again" variant first."""
    ids = (*_DONT_ASK_AGAIN, *DENY_IDS) if dont_ask_again else DENY_IDS
    return _button(tree, ids, _DENY_TEXT)


def location_accuracy(tree: UiTree, *, precise: bool) -> UiNode | None:
    """The Precise / Approximate choice of a location prompt (Android 12+), if shown."""
    window = prompt_window(tree)
    if window is None:
        return None
    wanted = (
        "permission_location_accuracy_radio_fine"
        if precise
        else "permission_location_accuracy_radio_coarse"
    )
    for node in window.iter():
        if local_id(node) == wanted and _usable(node):
            return node
    return None
