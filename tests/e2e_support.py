"""Shared by the end-to-end tests: a simulated device with the bundled sim apps,
reached over the real adb and instrumented with the real Frida and JVMs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def require(what: str, reason: str) -> None:
    """Skip locally; on CI a missing component is a failure (DESIGN §8)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing on CI: {reason}")
    pytest.skip(f"{what} not available: {reason}")


def sim_with_apps(profile: str = "aosp") -> Iterator[Any]:
    if shutil.which("javac") is None:
        require("a JDK (javac)", "the simulated device's apps are JVM programs")
    try:
        import frida  # noqa: F401
    except ImportError as exc:
        require("frida", str(exc))
    from harness.sim import SimCluster

    with SimCluster(count=1, preinstall=True, profile=profile) as cluster:
        yield cluster
