"""The permission-prompt matcher on dumps shaped like real AOSP and Google images."""

from __future__ import annotations

import pytest

from harness.ui import parse_hierarchy
from harness.ui.permissions import (
    allow_button,
    deny_button,
    is_permission_prompt,
    location_accuracy,
    prompt_message,
)

from .dumps import PC, app_window, consent_dialog, dump, node, permission_prompt

GOOGLE = "com.google.android.permissioncontroller"
A12_BUTTONS = (
    ("permission_allow_foreground_only_button", "While using the app"),
    ("permission_allow_one_time_button", "Only this time"),
    ("permission_deny_button", "Don’t allow"),
)


def _id(node: object) -> str:
    return str(getattr(node, "resource_id", "")).rsplit("/", 1)[-1]


@pytest.mark.parametrize("window_pkg", [PC, GOOGLE])
def test_android_12_location_prompt_on_aosp_and_google_images(window_pkg: str) -> None:
    tree = parse_hierarchy(
        dump(app_window(), permission_prompt(window_pkg, A12_BUTTONS, location_accuracy=True))
    )
    assert is_permission_prompt(tree)
    assert prompt_message(tree) == "Allow News to access this device’s location?"
    allow = allow_button(tree)
    assert allow is not None and _id(allow) == "permission_allow_foreground_only_button"
    assert allow.package == window_pkg and allow.label == "While using the app"
    once = allow_button(tree, "one_time")
    assert once is not None and _id(once) == "permission_allow_one_time_button"
    deny = deny_button(tree)
    assert deny is not None and _id(deny) == "permission_deny_button"
    fine = location_accuracy(tree, precise=True)
    coarse = location_accuracy(tree, precise=False)
    assert fine is not None and fine.label == "Precise"
    assert coarse is not None and coarse.label == "Approximate"


def test_plain_allow_prompt_and_one_time_falls_back_to_allow() -> None:
    buttons = (("permission_allow_button", "Allow"), ("permission_deny_button", "Don’t allow"))
    tree = parse_hierarchy(dump(app_window(), permission_prompt(GOOGLE, buttons,
                                                                "Allow News to access contacts?")))
    for mode in ("while_using", "one_time", "always"):
        button = allow_button(tree, mode)  # type: ignore[arg-type]
        assert button is not None and _id(button) == "permission_allow_button"
    assert location_accuracy(tree, precise=True) is None


def test_second_refusal_offers_only_dont_ask_again() -> None:
    buttons = (
        ("permission_allow_foreground_only_button", "While using the app"),
        ("permission_allow_one_time_button", "Only this time"),
        ("permission_deny_and_dont_ask_again_button", "Don’t allow"),
    )
    tree = parse_hierarchy(dump(app_window(), permission_prompt(PC, buttons)))
    deny = deny_button(tree)
    assert deny is not None and _id(deny) == "permission_deny_and_dont_ask_again_button"


def test_dont_ask_again_preferred_when_asked() -> None:
    buttons = (
        ("permission_allow_button", "Allow"),
        ("permission_deny_button", "Deny"),
        ("permission_deny_and_dont_ask_again_button", "Deny & don’t ask again"),
    )
    tree = parse_hierarchy(dump(app_window(), permission_prompt(PC, buttons)))
    assert _id(deny_button(tree)) == "permission_deny_button"
    assert _id(deny_button(tree, dont_ask_again=True)) == (
        "permission_deny_and_dont_ask_again_button"
    )


def test_android_14_photos_and_upgrade_prompts() -> None:
    photos = (
        ("permission_allow_selected_button", "Select photos and videos"),
        ("permission_allow_all_button", "Allow all"),
        ("permission_deny_button", "Don’t allow"),
    )
    tree = parse_hierarchy(dump(app_window(), permission_prompt(GOOGLE, photos)))
    assert _id(allow_button(tree)) == "permission_allow_all_button"
    upgrade = (
        ("permission_allow_foreground_only_button", "Change to precise location"),
        ("permission_no_upgrade_button", "Keep approximate location"),
    )
    tree = parse_hierarchy(dump(app_window(), permission_prompt(GOOGLE, upgrade)))
    assert _id(deny_button(tree)) == "permission_no_upgrade_button"


def test_android_9_packageinstaller_prompt() -> None:
    pi = "com.android.packageinstaller"
    buttons = (("permission_allow_button", "ALLOW"), ("permission_deny_button", "DENY"))
    tree = parse_hierarchy(dump(app_window(), permission_prompt(pi, buttons, id_ns=pi)))
    assert is_permission_prompt(tree)
    assert allow_button(tree) is not None and deny_button(tree) is not None


def test_renamed_ids_fall_back_to_labels_in_a_controller_window_only() -> None:
    buttons = (
        ("oem_allow", "仅在使用该应用时允许"),
        ("oem_once", "仅限这一次"),
        ("oem_deny", "禁止"),
    )
    prompt = permission_prompt(GOOGLE, buttons, id_ns="com.oem.security")
    tree = parse_hierarchy(dump(app_window(), prompt))
    assert is_permission_prompt(tree)
    assert allow_button(tree) is not None and allow_button(tree).label == "仅在使用该应用时允许"
    assert allow_button(tree, "one_time").label == "仅限这一次"  # type: ignore[union-attr]
    assert deny_button(tree).label == "禁止"  # type: ignore[union-attr]


def test_an_app_cannot_fake_a_prompt() -> None:
    # The app's own "Allow"/"Deny" buttons and ids named like the prompt's, in its own
    # namespace: not a permission prompt, nothing to tap.
    fake = app_window(
        "com.hostile.app",
        node("android.widget.Button", text="Allow", pkg="com.hostile.app", clickable=True,
             rid="com.hostile.app:id/permission_allow_button", bounds=(0, 0, 500, 100)),
        node("android.widget.Button", text="Deny", pkg="com.hostile.app", clickable=True,
             rid="com.hostile.app:id/permission_deny_button", bounds=(500, 0, 1000, 100)),
    )
    tree = parse_hierarchy(dump(fake))
    assert not is_permission_prompt(tree)
    assert allow_button(tree) is None and deny_button(tree) is None
    assert not is_permission_prompt(parse_hierarchy(consent_dialog()))


def test_disabled_or_invisible_buttons_are_skipped() -> None:
    buttons = (("permission_allow_foreground_only_button", "While using the app"),
               ("permission_allow_button", "Allow"), ("permission_deny_button", "Don’t allow"))
    xml = dump(app_window(), permission_prompt(PC, buttons))
    # the first button has zero size (gone from the layout, still in the dump)
    xml = xml.replace('bounds="[110,1300][970,1426]"', 'bounds="[0,0][0,0]"', 1)
    tree = parse_hierarchy(xml)
    assert _id(allow_button(tree)) == "permission_allow_button"


def test_prompt_over_a_consent_dialog_is_the_topmost_window() -> None:
    consent = consent_dialog()
    inner = consent[consent.index("<hierarchy"):].split(">", 1)[1].rsplit("</hierarchy>", 1)[0]
    tree = parse_hierarchy(dump(inner, permission_prompt(GOOGLE, A12_BUTTONS)))
    assert is_permission_prompt(tree)
    button = allow_button(tree)
    assert button is not None and button.package == GOOGLE
    assert tree.roots[-1].contains(button)


def test_unknown_mode_is_an_error() -> None:
    tree = parse_hierarchy(dump(app_window(), permission_prompt()))
    with pytest.raises(ValueError, match="allow mode"):
        allow_button(tree, "forever")  # type: ignore[arg-type]
