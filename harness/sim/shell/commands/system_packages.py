"""The device's preinstalled (system) packages, as ``pm`` and ``dumpsys package`` show them.

A shell-side table: these packages have no sim package behind them (the launcher,
permission dialog and settings are drawn by the device itself), but clients such as
adbutils' ``app_info`` ask ``pm path`` / ``dumpsys package`` about whatever is in front.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class SystemPackage:
    name: str
    apk: str  # the path `pm path` prints
    uid: int


# Paths as on an AOSP emulator image (priv-apps under /system/priv-app).
SYSTEM_PACKAGES: dict[str, SystemPackage] = {p.name: p for p in (
    SystemPackage("android", "/system/framework/framework-res.apk", 1000),
    SystemPackage("com.android.launcher3", "/system/priv-app/Launcher3/Launcher3.apk", 10140),
    SystemPackage("com.android.permissioncontroller",
                  "/system/priv-app/PermissionController/PermissionController.apk", 10120),
    SystemPackage("com.android.settings", "/system/priv-app/Settings/Settings.apk", 1000),
    SystemPackage("com.android.shell", "/system/priv-app/Shell/Shell.apk", 2000),
    SystemPackage("com.android.systemui", "/system/priv-app/SystemUI/SystemUI.apk", 10110),
)}
#: When the system image was "built": system packages were installed then.
_IMAGE_TIME = 1230768000.0  # 2009-01-01 00:00:00 UTC, as on many AOSP images


def stamp(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


def fake_hash(name: str) -> str:
    """The object hash dumpsys prints after a class name; stable per package."""
    return f"{zlib.crc32(name.encode()) & 0xFFFFFFF:07x}"


def dump_system_package(pkg: SystemPackage, version_code: str, version_name: str) -> str:
    code_path = pkg.apk.rsplit("/", 1)[0]
    h = fake_hash(pkg.name)
    flags = "[ SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA ]"
    return (
        "Packages:\n"
        f"  Package [{pkg.name}] ({h}):\n"
        f"    userId={pkg.uid}\n"
        f"    pkg=Package{{{h} {pkg.name}}}\n"
        f"    codePath={code_path}\n"
        f"    versionCode={version_code} minSdk={version_code} targetSdk={version_code}\n"
        f"    versionName={version_name}\n"
        f"    applicationInfo=ApplicationInfo{{{h} {pkg.name}}}\n"
        f"    flags={flags}\n"
        f"    privateFlags=[ PRIVATE_FLAG_PRIVILEGED ]\n"
        f"    pkgFlags={flags}\n"
        f"    dataDir=/data/user/0/{pkg.name}\n"
        f"    firstInstallTime={stamp(_IMAGE_TIME)}\n"
        f"    lastUpdateTime={stamp(_IMAGE_TIME)}\n"
        "    installerPackageName=null\n"
        "    requested permissions:\n"
        "    install permissions:\n"
    )
