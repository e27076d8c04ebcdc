"""Device features for real phones, on the simulator: permissions one by one, waking
the screen, split installs, the app's processes, frida-server and root."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.device import Device, DeviceError
from harness.device.frida_server import RootAccess, adb_command
from harness.device.server import AdbServer

from .conftest import PACKAGE, PERMISSIONS, sim_package


def test_a_refused_permission_does_not_stop_the_others(device: Device, installed: str) -> None:
    # The device refuses a permission the app did not request (as Android refuses a
    # hard-restricted one); the ones after it are still granted.
    wanted = [PERMISSIONS[0], "android.permission.READ_SMS", *PERMISSIONS[1:]]
    changes = device.change_each(installed, wanted, "grant")
    assert changes.changed == tuple(PERMISSIONS)
    assert list(changes.refused) == ["android.permission.READ_SMS"]
    assert "has not requested" in changes.refused["android.permission.READ_SMS"]
    assert not changes.complete
    assert changes.as_detail()["refused"] == changes.refused
    dump = device.shell_ok(["dumpsys", "package", installed]).stdout
    assert all(f"{p}: granted=true" in dump for p in PERMISSIONS)
    with pytest.raises(DeviceError, match="not an Android permission"):
        device.change_each(installed, ["x; reboot"], "grant")


def test_wake_and_unlock(device: Device) -> None:
    result = device.wake_and_unlock()
    assert result.woke
    # The simulator has no keyguard command yet: reported, not raised.
    if not result.keyguard_dismissed:
        assert "dismiss-keyguard" in result.detail


def test_install_multiple(device: Device, tmp_path: Path) -> None:
    base = tmp_path / "base.apk"
    base.write_bytes(sim_package())
    device.install_multiple([base])
    assert device.package_info(PACKAGE) is not None
    split = tmp_path / "split_config.xxhdpi.apk"
    split.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    # Not a valid split: refused on any device (one without install sessions says so),
    # and nothing is left behind in /data/local/tmp.
    with pytest.raises(DeviceError, match="split APKs|install"):
        device.install_multiple([base, split])
    leftovers = device.shell_ok(["ls", "/data/local/tmp"]).stdout
    assert "harness-" not in leftovers
    with pytest.raises(DeviceError, match="not a file"):
        device.install_multiple([base, tmp_path / "missing.apk"])


def test_app_processes_and_main_pid(device: Device, installed: str) -> None:
    assert device.main_pid(installed) is None and device.app_processes(installed) == []
    device.start(installed)
    pid = device.wait_main_pid(installed, timeout=30)
    assert pid == device.pidof(installed)
    procs = device.app_processes(installed)
    assert [p.pid for p in procs if p.main] == [pid]
    # a manifest that renames the main process: the package's own process is not it
    assert device.main_pid(installed, f"{installed}:main") is None
    device.force_stop(installed)


def test_root_and_frida_server_on_the_simulator(device: Device) -> None:
    root = device.root_access()
    assert root.method is None  # adbd runs as shell and there is no su
    assert root.debuggable and root.build_type == "userdebug"
    assert "adb -P 1234 -s S root" in root.advice("adb -P 1234 -s S")
    state = device.frida_server()
    assert not state.present and not state.running and state.version is None
    with pytest.raises(DeviceError, match="no frida-server at /data/local/tmp/frida-server"):
        device.start_frida_server()
    with pytest.raises(DeviceError, match="/data/local/tmp"):
        device.frida_server("/system/bin/sh")


def test_root_advice_and_argv() -> None:
    play = RootAccess(None, debuggable=False, build_type="user")
    assert "not possible" in play.advice("adb") and "AOSP or Google APIs" in play.advice("adb")
    assert RootAccess("su-0", True, "userdebug").argv(["/x", "-D"]) == ["su", "0", "/x", "-D"]
    assert RootAccess("su-c", False, "user").argv(["/x y", "-D"]) == ["su", "-c", "'/x y' -D"]
    assert RootAccess("adbd", True, "userdebug").argv(["/x"]) == ["/x"]
    with pytest.raises(DeviceError, match="no root"):
        play.argv(["/x"])
    assert adb_command("emulator-5554", AdbServer()) == "adb -s emulator-5554"
    assert adb_command("a b", AdbServer("10.0.0.2", 5037)) == "adb -H 10.0.0.2 -P 5037 -s 'a b'"
    assert adb_command("s", AdbServer("127.0.0.1", 6000)) == "adb -P 6000 -s s"


def test_no_animations_restores_what_was_there(device: Device) -> None:
    device.shell_ok(["settings", "put", "global", "window_animation_scale", "1.5"])
    device.shell(["settings", "delete", "global", "animator_duration_scale"])
    try:
        with device.no_animations() as before:
            assert before["window_animation_scale"] == "1.5"
            assert before["animator_duration_scale"] is None
            assert set(device.animation_scales().values()) == {"0"}
        after = device.animation_scales()
        assert after["window_animation_scale"] == "1.5"
        assert after["animator_duration_scale"] is None
    finally:
        device.shell(["settings", "delete", "global", "window_animation_scale"])


def test_dump_budget_bounds_the_retries(device: Device, cluster: object) -> None:
    from harness.device import DeviceTimeout

    control = cluster.control(device.serial)  # type: ignore[attr-defined]
    control.delay_ui(5000)  # every dump takes 5 s; the budget is 1 s
    with pytest.raises(DeviceTimeout):
        device.dump_ui(budget=1.0)
    control.clear_faults()
    device.wait_online(30)
    assert device.dump_ui(budget=30.0).roots
