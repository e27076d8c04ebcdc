"""The simulator's own errors.

The simulated device is a separate building (DESIGN §3): it imports nothing of the harness,
so it has its own error classes. The harness side that starts it (``harness.cli._devices``,
``harness.cli.sim_cmd``, the pytest plugin) translates them into ``harness.errors`` with
``raise … from``.
"""

from __future__ import annotations


class SimulatorError(Exception):
    """The simulated device could not start or do what was asked."""


class SimAdbError(SimulatorError):
    """The adb side of a simulated cluster failed: no adb binary, adb server or connect failed."""
