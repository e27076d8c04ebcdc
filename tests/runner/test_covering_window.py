"""A consent button under another window (a permission prompt) is not tappable."""

from __future__ import annotations

from harness.runner.steps import covering_window
from harness.ui import find_consent, parse_hierarchy

APP = (
    '<node index="0" text="" resource-id="" class="android.widget.FrameLayout" '
    'package="com.example.weather" content-desc="" clickable="false" enabled="true" '
    'bounds="[0,0][1080,2340]">'
    '<node index="0" text="Privacy Policy" resource-id="" class="android.widget.TextView" '
    'package="com.example.weather" content-desc="" clickable="false" enabled="true" '
    'bounds="[100,900][980,1000]"/>'
    '<node index="1" text="Agree" resource-id="com.example.weather:id/btn_agree" '
    'class="android.widget.Button" package="com.example.weather" content-desc="" '
    'clickable="true" enabled="true" bounds="[600,1300][900,1400]"/></node>'
)
PROMPT = (
    '<node index="0" text="" resource-id="" class="android.widget.FrameLayout" '
    'package="com.android.permissioncontroller" content-desc="" clickable="false" '
    'enabled="true" bounds="[40,1000][1040,1500]">'
    '<node index="0" text="Allow" resource-id="com.android.permissioncontroller:id/'
    'permission_allow_button" class="android.widget.Button" '
    'package="com.android.permissioncontroller" content-desc="" clickable="true" '
    'enabled="true" bounds="[60,1300][500,1400]"/></node>'
)


def dump(*windows: str) -> str:
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            f'<hierarchy rotation="0">{"".join(windows)}</hierarchy>')


def test_button_in_the_topmost_window_is_reachable() -> None:
    tree = parse_hierarchy(dump(APP))
    dialog = find_consent(tree)
    assert dialog is not None and dialog.agree is not None
    assert covering_window(tree, dialog.agree) is None


def test_button_under_a_permission_prompt_is_covered() -> None:
    tree = parse_hierarchy(dump(APP, PROMPT))
    dialog = find_consent(tree)
    assert dialog is not None and dialog.agree is not None
    cover = covering_window(tree, dialog.agree)
    assert cover is not None and cover.package == "com.android.permissioncontroller"
