"""Shell commands of the simulated device, by name."""

from __future__ import annotations

from harness.sim.shell.commands import activity, basic, files, package, ui
from harness.sim.shell.commands.registry import COMMANDS

__all__ = ["COMMANDS", "activity", "basic", "files", "package", "ui"]
