"""The command table and the decorator that fills it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from harness.sim.shell.interp import Ctx

CommandFunc = Callable[[Ctx], Awaitable[int]]
COMMANDS: dict[str, CommandFunc] = {}


def command(*names: str) -> Callable[[CommandFunc], CommandFunc]:
    def register(func: CommandFunc) -> CommandFunc:
        for name in names:
            COMMANDS[name] = func
        return func

    return register
