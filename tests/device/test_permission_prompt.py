"""The permission-prompt matcher on the simulator's own prompt, end to end over adb."""

from __future__ import annotations

from harness.device import Device
from harness.ui import find_consent
from harness.ui.permissions import allow_button, deny_button, is_permission_prompt, prompt_message
from tests.device.prompt_support import prompt_asking as _prompt
from tests.device.prompt_support import wait_until as _wait

FINE = "android.permission.ACCESS_FINE_LOCATION"
CAMERA = "android.permission.CAMERA"




def test_answer_two_prompts_by_resource_id(device: Device, installed: str) -> None:
    device.revoke_all(installed)
    device.start(installed)
    dialog = _wait(lambda: find_consent(device.dump_ui()), "the consent dialog")
    assert dialog.agree is not None
    device.tap(*dialog.agree.center)
    _wait(lambda: find_consent(device.dump_ui()) is None or None, "the dialog to close")
    assert not is_permission_prompt(device.dump_ui())
    device.tap(540, 360)  # the stand-in app's "Locate": asks for location, then camera

    tree = _wait(lambda: _prompt(device, "location"), "the location prompt")
    assert "location" in prompt_message(tree).lower()
    allow = allow_button(tree)
    assert allow is not None
    device.tap(*allow.center)
    tree = _wait(lambda: _prompt(device, "pictures"), "the camera prompt")
    deny = deny_button(tree)
    assert deny is not None
    device.tap(*deny.center)
    _wait(lambda: not is_permission_prompt(device.dump_ui()) or None, "the prompts to go")
    dump = device.shell_ok(["dumpsys", "package", installed]).stdout
    assert f"{FINE}: granted=true" in dump and f"{CAMERA}: granted=false" in dump
    device.force_stop(installed)
