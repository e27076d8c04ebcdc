"""Shell built-ins that need the session: pwd, export, unset, env, exec, which."""

from __future__ import annotations

import re

from harness.sim.shell.commands.registry import COMMANDS, command
from harness.sim.shell.interp import CommandError, Ctx, ShellExit

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: Special parameters of the session, not environment variables.
_SPECIAL = {"?", "$", "#"}
#: Names the shell itself runs (sh built-ins); everything else in COMMANDS is a binary.
SH_BUILTINS = {"cd", "exit", "export", "unset", "exec", "pwd"}


@command("pwd")
async def pwd(ctx: Ctx) -> int:
    await ctx.out(ctx.shell.cwd + "\n")
    return 0


@command("export")
async def export(ctx: Ctx) -> int:
    if not ctx.args or ctx.args == ["-p"]:
        await ctx.out("".join(f"export {k}={v}\n" for k, v in sorted(ctx.shell.env.items())
                              if k not in _SPECIAL))
        return 0
    for arg in ctx.args:
        name, eq, value = arg.partition("=")
        if not _NAME.match(name):
            raise CommandError(f"/system/bin/sh: export: {arg}: bad variable name", 1)
        if eq:
            ctx.shell.env[name] = value
        else:
            ctx.shell.env.setdefault(name, "")
    return 0


@command("unset")
async def unset(ctx: Ctx) -> int:
    for name in ctx.args:
        if name not in _SPECIAL:
            ctx.shell.env.pop(name, None)
    return 0


@command("env", "printenv")
async def env(ctx: Ctx) -> int:
    variables = {k: v for k, v in ctx.shell.env.items() if k not in _SPECIAL}
    names = [a for a in ctx.args if not a.startswith("-")]
    if ctx.argv[0] == "printenv" and names:
        found = [variables[n] for n in names if n in variables]
        await ctx.out("".join(v + "\n" for v in found))
        return 0 if len(found) == len(names) else 1
    if names:
        raise CommandError("env: running a command is not supported", 1)
    await ctx.out("".join(f"{k}={v}\n" for k, v in sorted(variables.items())))
    return 0


@command("exec")
async def exec_(ctx: Ctx) -> int:
    if not ctx.args:
        return 0  # `exec 2>&1`: redirections only; they do not outlive the line here
    raise ShellExit(await ctx.shell.run_argv(list(ctx.args), ctx.io))


def on_path(name: str) -> str | None:
    """Where ``name`` lives on the device, as toybox ``which`` prints it."""
    base = name.rsplit("/", 1)[-1]
    if "/" in name and not name.startswith(("/system/bin/", "/system/xbin/")):
        return None
    if base in COMMANDS and base not in SH_BUILTINS - {"pwd"}:
        return name if "/" in name else f"/system/bin/{base}"
    return None


@command("which")
async def which(ctx: Ctx) -> int:
    names = [a for a in ctx.args if not a.startswith("-")]
    if not names:
        return 1
    status = 0
    for name in names:
        found = on_path(name)
        if found is None:
            status = 1
        else:
            await ctx.out(found + "\n")
    return status
