"""File commands on the device file system: cat, ls, rm, mkdir, touch, chmod, stat."""

from __future__ import annotations

import os
import shutil
import stat as statmod
import time

from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx


def _split_opts(args: list[str]) -> tuple[set[str], list[str]]:
    opts: set[str] = set()
    rest: list[str] = []
    for arg in args:
        if arg.startswith("-") and len(arg) > 1 and not rest:
            opts.update(arg[1:])
        else:
            rest.append(arg)
    return opts, rest


@command("cat")
async def cat(ctx: Ctx) -> int:
    if not ctx.args:
        await ctx.out(await ctx.stdin_bytes())
        return 0
    status = 0
    for name in ctx.args:
        path = ctx.host(name)
        if path.is_dir():
            await ctx.err(f"cat: {name}: Is a directory\n")
            status = 1
            continue
        if not path.is_file():
            await ctx.err(f"cat: {name}: No such file or directory\n")
            status = 1
            continue
        with path.open("rb") as f:
            while chunk := f.read(256 * 1024):
                await ctx.out(chunk)
    return status


def _long(name: str, st: os.stat_result) -> str:
    kind = "d" if statmod.S_ISDIR(st.st_mode) else "-"
    perms = statmod.filemode(st.st_mode)[1:]
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(st.st_mtime))
    return f"{kind}{perms} 1 shell shell {st.st_size:>8} {stamp} {name}"


@command("ls")
async def ls(ctx: Ctx) -> int:
    opts, names = _split_opts(ctx.args)
    names = names or ["."]
    status = 0
    out: list[str] = []
    for name in names:
        path = ctx.host(name)
        if not path.exists():
            await ctx.err(f"ls: {name}: No such file or directory\n")
            status = 1
            continue
        if path.is_dir() and "d" not in opts:
            entries = sorted(p.name for p in path.iterdir()
                             if "a" in opts or not p.name.startswith("."))
            if len(names) > 1:
                out.append(f"{name}:")
            for entry in entries:
                out.append(_long(entry, (path / entry).stat()) if "l" in opts else entry)
        else:
            out.append(_long(name, path.stat()) if "l" in opts else name)
    if out:
        await ctx.out("\n".join(out) + "\n")
    return status


@command("rm")
async def rm(ctx: Ctx) -> int:
    opts, names = _split_opts(ctx.args)
    force, recursive = "f" in opts, bool({"r", "R"} & opts)
    status = 0
    for name in names:
        path = ctx.host(name)
        if ctx.device.fs.normalize(name, ctx.shell.cwd) in ("/", "/data", "/sdcard", "/system"):
            await ctx.err(f"rm: {name}: Permission denied\n")
            status = 1
        elif path.is_dir() and not path.is_symlink():
            if recursive:
                shutil.rmtree(path, ignore_errors=True)
            else:
                await ctx.err(f"rm: {name}: Is a directory\n")
                status = 1
        elif path.exists() or path.is_symlink():
            path.unlink()
        elif not force:
            await ctx.err(f"rm: {name}: No such file or directory\n")
            status = 1
    return status


@command("mkdir")
async def mkdir(ctx: Ctx) -> int:
    opts, names = _split_opts(ctx.args)
    if not names:
        raise CommandError("usage: mkdir [-p] DIR...")
    status = 0
    for name in names:
        path = ctx.host(name)
        try:
            path.mkdir(parents="p" in opts, exist_ok="p" in opts)
        except FileExistsError:
            await ctx.err(f"mkdir: '{name}': File exists\n")
            status = 1
        except FileNotFoundError:
            await ctx.err(f"mkdir: '{name}': No such file or directory\n")
            status = 1
    return status


@command("touch")
async def touch(ctx: Ctx) -> int:
    for name in _split_opts(ctx.args)[1]:
        path = ctx.host(name)
        if not path.parent.is_dir():
            raise CommandError(f"touch: '{name}': No such file or directory")
        path.touch()
    return 0


@command("chmod", "chown", "sync")
async def noop(ctx: Ctx) -> int:
    # Permissions are not modelled; accept so that scripts written for phones run.
    return 0


@command("stat")
async def stat_(ctx: Ctx) -> int:
    status = 0
    for name in _split_opts(ctx.args)[1]:
        path = ctx.host(name)
        if not path.exists():
            await ctx.err(f"stat: '{name}': No such file or directory\n")
            status = 1
            continue
        st = path.stat()
        await ctx.out(f"  File: {name}\n  Size: {st.st_size}\n")
    return status
