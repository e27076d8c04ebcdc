"""Per-device identity (IMEI, ANDROID_ID, MACs, location…), deterministic per index.

Values are derived from a hash of the device index so tests are stable across runs,
and different devices of one cluster never share an identifier.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict

SDK_INT = 33
RELEASE = "13"
MODEL = "SimPhone"
#: Device profiles (``sim serve --profile``): ``aosp`` is an AOSP emulator image
#: (userdebug, everything debuggable); ``google`` a Google (Play) image: a ``user``
#: build (``ro.debuggable=0``: only apps that say ``debuggable`` can wait for a
#: debugger), Google's permission controller and its Android 12+ prompt.
PROFILES = ("aosp", "google")
DEFAULT_PROFILE = "aosp"


#: The runtime-permission prompt's package: PermissionController is a mainline module,
#: and Google builds it as com.google.android.permissioncontroller (its view ids keep the
#: module's com.android.permissioncontroller namespace).
_CONTROLLERS = {"aosp": "com.android.permissioncontroller",
                "google": "com.google.android.permissioncontroller"}
CONTROLLER_ID_NAMESPACE = "com.android.permissioncontroller"


def permission_controller(profile: str) -> str:
    return _CONTROLLERS[check_profile(profile)]


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"unknown device profile {profile!r}; expected one of {PROFILES}")
    return profile


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: float
    longitude: float
    accuracy: float


class DeviceIdentity(BaseModel):
    """What the device tells its apps about itself (the ``SIM_DEVICE`` file)."""

    model_config = ConfigDict(extra="forbid")

    index: int
    serial: str
    imei: str
    meid: str
    imsi: str
    iccid: str
    line_number: str
    android_id: str
    wifi_mac: str
    bt_mac: str
    ad_id: str
    oaid: str
    location: Location
    sdk_int: int = SDK_INT
    release: str = RELEASE
    model: str = MODEL
    manufacturer: str = "SimCorp"
    brand: str = "sim"
    operator: str = "46000"
    operator_name: str = "SimMobile"


def _luhn_digit(digits: str) -> str:
    total = 0
    for pos, ch in enumerate(reversed(digits)):
        d = int(ch)
        if pos % 2 == 0:  # doubled positions, counted from the check digit's left
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


class _Stream:
    """A deterministic stream of digits/hex derived from a seed."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._n = 0

    def hex(self, count: int) -> str:
        out = ""
        while len(out) < count:
            out += hashlib.sha256(f"{self._seed}/{self._n}".encode()).hexdigest()
            self._n += 1
        return out[:count]

    def digits(self, count: int) -> str:
        return "".join(str(int(c, 16) % 10) for c in self.hex(count))


def make_identity(index: int, profile: str = DEFAULT_PROFILE) -> DeviceIdentity:
    check_profile(profile)
    s = _Stream(f"consent-harness-sim-device-{index}")
    imei14 = "86" + s.digits(12)
    mac = s.hex(12)
    bt = s.hex(12)
    # Locally administered, unicast MACs, as privacy-conscious devices use.
    wifi_mac = ":".join([f"{(int(mac[0:2], 16) | 2) & 0xFE:02x}"]
                        + [mac[i:i + 2] for i in range(2, 12, 2)])
    bt_mac = ":".join(bt[i:i + 2] for i in range(0, 12, 2)).upper()
    return DeviceIdentity(
        index=index,
        serial=f"SIM{index:04d}" + s.hex(8).upper(),
        imei=imei14 + _luhn_digit(imei14),
        meid="A0" + s.hex(12).upper(),
        imsi="46000" + s.digits(10),
        iccid="898600" + s.digits(13),
        line_number="+86138" + s.digits(8),
        android_id=s.hex(16),
        wifi_mac=wifi_mac,
        bt_mac=bt_mac,
        ad_id=str(uuid.UUID(s.hex(32), version=4)),
        oaid=str(uuid.UUID(s.hex(32), version=4)),
        location=Location(latitude=round(39.9042 + int(s.hex(4), 16) / 65536 / 10, 6),
                          longitude=round(116.4074 + int(s.hex(4), 16) / 65536 / 10, 6),
                          accuracy=12.0),
        # what Build.BRAND / MANUFACTURER say; the identifiers stay those of the index
        **({"brand": "google", "manufacturer": "Google"} if profile == "google" else {}),
    )


def write_identity(identity: DeviceIdentity, path: Path) -> None:
    path.write_text(json.dumps(identity.model_dump(), indent=2) + "\n", encoding="utf-8")


def build_props(identity: DeviceIdentity, port: int,
                profile: str = DEFAULT_PROFILE) -> dict[str, str]:
    """System properties as ``getprop`` shows them."""
    check_profile(profile)
    google = profile == "google"
    # An AOSP emulator image is a userdebug build with test keys; a Google (Play) image
    # is a user build with release keys: ro.debuggable=0, ro.secure=1 (no `adb root`).
    build_type, tags = ("user", "release-keys") if google else ("userdebug", "test-keys")
    product, device = ("sim_gphone", "sim_gphone") if google else ("sim", "sim")
    return {
        "ro.product.name": product,
        "ro.product.model": identity.model,
        "ro.product.device": device,
        "ro.product.brand": identity.brand,
        "ro.product.manufacturer": identity.manufacturer,
        "ro.product.cpu.abi": "x86_64",
        "ro.build.version.sdk": str(identity.sdk_int),
        "ro.build.version.release": identity.release,
        "ro.build.id": "SIM.230101.001",
        "ro.build.type": build_type,
        "ro.build.tags": tags,
        "ro.build.fingerprint":
            f"{identity.brand}/{product}/{device}:{identity.release}/SIM.230101.001/1:"
            f"{build_type}/{tags}",
        "ro.serialno": identity.serial,
        "ro.boot.serialno": identity.serial,
        "ro.debuggable": "0" if google else "1",
        "ro.secure": "1" if google else "0",
        "ro.kernel.qemu": "0",
        "ro.harness.sim": "1",
        "ro.harness.sim.profile": profile,
        "ro.harness.frida": "local",
        "ro.harness.sim.index": str(identity.index),
        "ro.harness.sim.port": str(port),
        "sys.boot_completed": "1",
        "init.svc.adbd": "running",
        "persist.sys.locale": "zh-CN",
        "persist.sys.timezone": "Asia/Shanghai",
        "gsm.sim.operator.numeric": identity.operator,
        "gsm.operator.alpha": identity.operator_name,
        "gsm.sim.state": "READY",
        "net.hostname": f"sim-{identity.index}",
    }
