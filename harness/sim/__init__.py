"""The simulated Android device: a real ADB device on loopback whose apps are JVMs.

Nothing outside ``harness/sim`` (except tests and the CLI that start it) imports this
package: the harness reaches the device only over ADB and Frida (DESIGN §3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.sim.cluster import SimCluster
    from harness.sim.control import SimControl

__all__ = ["SimCluster", "SimControl"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``python -m harness.sim`` and the app runtime do not import adbutils.
    if name == "SimCluster":
        from harness.sim.cluster import SimCluster

        return SimCluster
    if name == "SimControl":
        from harness.sim.control import SimControl

        return SimControl
    raise AttributeError(name)
