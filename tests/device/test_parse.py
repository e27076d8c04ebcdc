"""Pure parts of the device core: output parsers and name checks (no device)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness.device import DeviceError, PackageInfo
from harness.device.names import PACKAGE_RE, check_activity, check_package, keycode
from harness.device.parse import (
    device_props,
    parse_getprop,
    parse_package_dump,
    parse_pids,
    parse_resolved_activity,
    requested_permissions,
    runtime_permissions,
)
from harness.scenario.model import PACKAGE_RE as SCENARIO_PACKAGE_RE

# Shape of a real Android 13 `dumpsys package` (abridged).
DUMPSYS = """\
Activity Resolver Table:
  Non-Data Actions:
      android.intent.action.MAIN:
        5d6f0e1 com.example.news/.MainActivity filter 9a8b7c6
Packages:
  Package [com.example.news] (3c2b1a0):
    userId=10123
    versionCode=42 minSdk=24 targetSdk=33
    versionName=3.1.4-beta
    requested permissions:
      android.permission.INTERNET
      android.permission.ACCESS_FINE_LOCATION
      android.permission.READ_CONTACTS, maxSdkVersion=32
    install permissions:
      android.permission.INTERNET: granted=true
    User 0: ceDataInode=12345 installed=true hidden=false
      runtime permissions:
        android.permission.ACCESS_FINE_LOCATION: granted=false, flags=[ USER_SENSITIVE ]
        android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET ]
"""


def test_package_dump() -> None:
    info = parse_package_dump(DUMPSYS, "com.example.news")
    assert info == PackageInfo("com.example.news", "3.1.4-beta", 42)
    assert parse_package_dump("Unable to find package: com.x.y\n", "com.x.y") is None
    assert runtime_permissions(DUMPSYS) == [
        "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.READ_CONTACTS",
    ]
    assert requested_permissions(DUMPSYS) == [
        "android.permission.INTERNET",
        "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.READ_CONTACTS",
    ]


def test_getprop() -> None:
    text = (
        "[ro.product.model]: [Pixel 7]\n[ro.build.version.sdk]: [34]\n"
        "[ro.build.version.release]: [14]\n[ro.product.cpu.abi]: [arm64-v8a]\n"
        "[persist.sys.x]: [multi\nline]\n[empty]: []\n"
    )
    props = parse_getprop(text)
    assert props["ro.product.model"] == "Pixel 7" and props["empty"] == ""
    dp = device_props("abc", props)
    assert (dp.model, dp.sdk_int, dp.release, dp.abi, dp.frida) == (
        "Pixel 7",
        34,
        "14",
        "arm64-v8a",
        None,
    )
    assert device_props("s", {"ro.harness.frida": "local"}).frida == "local"
    assert device_props("s", {}).sdk_int == 0


def test_resolve_activity_and_pids() -> None:
    out = "priority=0 preferredOrder=0 match=0x108000\ncom.example.news/.MainActivity\n"
    assert parse_resolved_activity(out, "com.example.news") == ".MainActivity"
    assert parse_resolved_activity("No activity found\n", "com.example.news") is None
    assert parse_pids("1234 5678\n") == [1234, 5678]
    assert parse_pids("") == []


@pytest.mark.parametrize("name", ["com.example.news", "a.b", "Com.Ex_1.x9", "com.tencent.mm"])
def test_good_package_names(name: str) -> None:
    assert check_package(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "news",
        "com..x",
        ".com.x",
        "com.x.",
        "1com.x",
        "com.x;reboot",
        "com.x y",
        "com.é.x",
        "com.x\n",
        "a." + "b" * 300,
        "com.x/.Main",
    ],
)
def test_bad_package_names(name: str) -> None:
    with pytest.raises(DeviceError):
        check_package(name)


def test_package_rule_is_shared_with_scenarios() -> None:
    assert PACKAGE_RE.pattern == SCENARIO_PACKAGE_RE.pattern


def test_activity_and_keys() -> None:
    assert check_activity(".MainActivity") == ".MainActivity"
    assert check_activity("com.x.Main$Inner") == "com.x.Main$Inner"
    for bad in ("Main Activity", "a;b", "", "../x"):
        with pytest.raises(DeviceError):
            check_activity(bad)
    assert keycode("back") == "KEYCODE_BACK"
    assert keycode("KEYCODE_APP_SWITCH") == "KEYCODE_APP_SWITCH"
    assert keycode(4) == "4" and keycode("66") == "66"
    for bad in ("BACK HOME", "back;", "", -1, True):
        with pytest.raises(DeviceError):
            keycode(bad)  # type: ignore[arg-type]


def test_scenarios_and_ui_load_without_adbutils() -> None:
    code = (
        "import sys, harness.scenario, harness.ui; "
        "sys.exit(1 if any(m.split('.')[0] in ('adbutils', 'frida') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_ps_user_id_and_install_session() -> None:
    from harness.device.parse import (
        app_user_name,
        parse_install_session,
        parse_ps,
        parse_user_id,
    )

    ps = (
        "USER           PID  PPID        VSZ    RSS WCHAN            ADDR S NAME\n"
        "root             1     0   10904256  11556 do_epoll_wait       0 S init\n"
        "u0_a123       4242   312   14520240 123456 do_epoll_wait       0 S com.example.news\n"
        "u0_a123       4250   312   14520240 100000 do_epoll_wait       0 S com.example.news:push\n"
        "bad line\n"
    )
    rows = parse_ps(ps)
    assert [(r.user, r.pid, r.ppid, r.name) for r in rows][1:] == [
        ("u0_a123", 4242, 312, "com.example.news"),
        ("u0_a123", 4250, 312, "com.example.news:push"),
    ]
    assert parse_ps("") == [] and parse_ps("no header\n1 2 3") == []
    dump = "Packages:\n  Package [com.x.y] (1):\n    userId=10123\n"
    assert parse_user_id(dump, "com.x.y") == 10123
    assert parse_user_id("nothing", "com.x.y") is None
    assert app_user_name(10123) == "u0_a123"
    assert parse_install_session("Success: created install session [1234567]\n") == 1234567
    assert parse_install_session("Error: java.lang.IllegalArgumentException") is None
