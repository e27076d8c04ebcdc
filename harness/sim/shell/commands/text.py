"""Text filters on stdin or files: head, tail, wc."""

from __future__ import annotations

from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx


def _count_args(ctx: Ctx) -> tuple[int, bool, list[str]]:
    """(-n lines | -c bytes | -NUM) → (count, by_bytes, files); toybox defaults to 10 lines."""
    name = ctx.argv[0]
    count, by_bytes = 10, False
    files: list[str] = []
    it = iter(ctx.args)
    for arg in it:
        if arg in ("-n", "-c"):
            value = next(it, "")
            by_bytes = arg == "-c"
        elif arg.startswith(("-n", "-c")) and arg[2:].isdigit():
            value, by_bytes = arg[2:], arg[1] == "c"
        elif arg[:1] == "-" and arg[1:].isdigit():
            value = arg[1:]
        elif arg.startswith("-") and arg != "-":
            raise CommandError(f"{name}: Unknown option '{arg}'", 1)
        else:
            files.append(arg)
            continue
        if not value.lstrip("+").isdigit():
            raise CommandError(f"{name}: not integer: {value!r}", 1)
        count = int(value.lstrip("+"))
    return count, by_bytes, files


async def _inputs(ctx: Ctx, files: list[str]) -> list[tuple[str, bytes | None]]:
    if not files:
        return [("-", await ctx.stdin_bytes())]
    result: list[tuple[str, bytes | None]] = []
    for name in files:
        path = ctx.host(name)
        result.append((name, path.read_bytes() if path.is_file() else None))
    return result


async def _filter(ctx: Ctx, from_end: bool) -> int:
    count, by_bytes, files = _count_args(ctx)
    status = 0
    inputs = await _inputs(ctx, files)
    for i, (name, data) in enumerate(inputs):
        if data is None:
            await ctx.err(f"{ctx.argv[0]}: {name}: No such file or directory\n")
            status = 1
            continue
        if len(inputs) > 1:
            await ctx.out(("\n" if i else "") + f"==> {name} <==\n")
        if by_bytes:
            part = (data[-count:] if count else b"") if from_end else data[:count]
        else:
            lines = data.splitlines(keepends=True)
            part = b"".join((lines[-count:] if count else []) if from_end else lines[:count])
        await ctx.out(part)
    return status


@command("head")
async def head(ctx: Ctx) -> int:
    return await _filter(ctx, from_end=False)


@command("tail")
async def tail(ctx: Ctx) -> int:
    return await _filter(ctx, from_end=True)


@command("wc")
async def wc(ctx: Ctx) -> int:
    flags = "".join(a[1:] for a in ctx.args if a.startswith("-") and a != "-")
    files = [a for a in ctx.args if not a.startswith("-") or a == "-"]
    status = 0
    for name, data in await _inputs(ctx, files):
        if data is None:
            await ctx.err(f"wc: {name}: No such file or directory\n")
            status = 1
            continue
        counts = {"l": data.count(b"\n"), "w": len(data.split()), "c": len(data)}
        shown = [counts[f] for f in "lwc" if f in flags] or list(counts.values())
        suffix = "" if name == "-" else f" {name}"
        await ctx.out(" ".join(str(n) for n in shown) + suffix + "\n")
    return status
