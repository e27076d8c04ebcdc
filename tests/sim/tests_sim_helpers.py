"""Polling helper for the device tests (waits for a state; never asserts on time)."""

from __future__ import annotations

import io
import json
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def wait_for(check: Callable[[], T | None | bool], timeout: float = 30.0,
             interval: float = 0.05) -> T:
    """Poll ``check`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {check}")
        time.sleep(interval)


STUB_PACKAGE = "com.example.stub"
STUB_PERMS = ["android.permission.ACCESS_FINE_LOCATION", "android.permission.CAMERA"]


def sim_package(package: str = STUB_PACKAGE, **fields: Any) -> bytes:
    """A minimal sim package: a zip with manifest.json."""
    manifest = {"format": 1, "package": package, "label": "Stub", "version_name": "1.2",
                "version_code": 12, "main_activity": ".MainActivity", "permissions": STUB_PERMS}
    manifest.update(fields)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("classes/readme.txt", "stand-in app")
    return buf.getvalue()


def dump_xml(dev: Any) -> ET.Element:
    """The device's UI dump (the focused window), parsed."""
    return ET.fromstring(dev.dump_hierarchy())
