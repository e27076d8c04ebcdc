"""Shell built-ins that need the session: pwd, export, unset, env, exec, which, and the
job control of mksh (read, wait, kill)."""

from __future__ import annotations

import re
import signal

from harness.sim.shell.commands.registry import COMMANDS, command
from harness.sim.shell.interp import CommandError, Ctx, ShellExit, device_jobs

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: Special parameters of the session, not environment variables.
_SPECIAL = {"?", "$", "#"}
#: Names the shell itself runs (sh built-ins); everything else in COMMANDS is a binary.
SH_BUILTINS = {"cd", "exit", "export", "unset", "exec", "pwd", "read", "wait"}


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


@command("read")
async def read(ctx: Ctx) -> int:
    """mksh ``read [-r] [-p PROMPT] [NAME…]``: one line of stdin into variables (REPLY
    without names); status 1 at end of input with nothing read."""
    args = list(ctx.args)
    raw = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        raw |= "r" in opt
        if opt == "-p" and args:
            await ctx.err(args.pop(0))
    names = args or ["REPLY"]
    for name in names:
        if not _NAME.match(name):
            raise CommandError(f"/system/bin/sh: read: {name}: invalid identifier", 2)
    data = b""
    while b"\n" not in data:
        chunk = await ctx.shell.read_chunk(ctx.io.stdin)
        if not chunk:
            break
        data += chunk
    line, newline, rest = data.partition(b"\n")
    ctx.shell.push_back(ctx.io.stdin, rest)
    text = line.decode("utf-8", "replace")
    if not raw:
        text = re.sub(r"\\(.)", r"\1", text)
    fields = text.split(None, len(names) - 1) if len(names) > 1 else [text.strip()]
    for i, name in enumerate(names):
        ctx.shell.env[name] = fields[i] if i < len(fields) else ""
    return 0 if newline else 1


@command("wait")
async def wait(ctx: Ctx) -> int:
    """``wait [PID…]``: the status of the last one named; all jobs (status 0) without."""
    pids = ctx.args or [str(pid) for pid in list(ctx.shell.jobs)]
    status = 0
    for arg in pids:
        pid = int(arg.lstrip("%")) if arg.lstrip("%").isdigit() else -1
        status = await ctx.shell.wait_job(pid)
    return 0 if not ctx.args else status


def _signal_number(spec: str) -> int:
    if spec.isdigit():
        return int(spec)
    name = spec.upper().removeprefix("SIG")
    try:
        return int(signal.Signals[f"SIG{name}"])
    except KeyError:
        raise CommandError(f"/system/bin/sh: kill: {spec}: bad signal", 1) from None


@command("kill")
async def kill(ctx: Ctx) -> int:
    """mksh ``kill [-s SIG | -SIG] PID…`` / ``kill -l``. The shell user may signal its
    own jobs; the device's other processes belong to other users."""
    args = list(ctx.args)
    if args and args[0] == "-l":
        await ctx.out(" ".join(s.name.removeprefix("SIG") for s in sorted(
            signal.valid_signals()) if isinstance(s, signal.Signals)) + "\n")
        return 0
    sig = int(signal.SIGTERM)
    if args and args[0] == "-s" and len(args) > 1:
        sig, args = _signal_number(args[1]), args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        sig, args = _signal_number(args[0][1:]), args[1:]
    if not args:
        raise CommandError("/system/bin/sh: kill: usage: kill [-s signame | -signum | "
                           "-signame] { job | pid | pgrp } ...", 1)
    others = {app.pid for app in ctx.device.running_apps().values()}
    others |= {pid for pid, _ in ctx.device.system_processes()}
    status = 0
    for arg in args:
        target = arg.lstrip("%")
        if not target.isdigit():
            raise CommandError(f"/system/bin/sh: kill: {arg}: arguments must be jobs or "
                               "process IDs", 1)
        job = device_jobs(ctx.device).get(int(target))
        if job is not None and job.deliver(sig):
            continue
        reason = "Operation not permitted" if int(target) in others else "No such process"
        await ctx.err(f"/system/bin/sh: kill: {target}: {reason}\n")
        status = 1
    return status
