"""Shell commands of the simulated device, by name."""

from __future__ import annotations

from harness.sim.shell.commands import (
    activity,
    basic,
    builtins,
    files,
    logs,
    network,
    package,
    text,
    ui,
)
from harness.sim.shell.commands.registry import COMMANDS

__all__ = ["COMMANDS", "activity", "basic", "builtins", "files", "logs", "network", "package",
           "text", "ui"]
