"""``logcat`` (formats, filters, clear, dump, tail, follow) and toybox ``log``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.sim.logcat import LEVELS, LogEntry
from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx

#: pid that `log` writes under: the shell that ran it (any pid that is not an app's).
SHELL_PID = 5123
_PRIORITIES = "VDIWEFS"  # S (silent) only in filters
#: Seconds a followed log may stay silent before the system says something.
IDLE_HEARTBEAT_S = 2.0


def _stamp(entry: LogEntry) -> str:
    ms = int((entry.ts % 1) * 1000)
    return time.strftime("%m-%d %H:%M:%S", time.localtime(entry.ts)) + f".{ms:03d}"


def _lines(entry: LogEntry) -> list[str]:
    return entry.msg.splitlines() or [""]


# logcat's formats, as in liblog's logprint.cpp: one output line per message line.
_FORMATS: dict[str, Callable[[LogEntry, str], str]] = {
    "brief": lambda e, m: f"{e.level}/{e.tag:<8}({e.pid:5d}): {m}\n",
    "process": lambda e, m: f"{e.level}({e.pid:5d}) {m}  ({e.tag})\n",
    "tag": lambda e, m: f"{e.level}/{e.tag:<8}: {m}\n",
    "raw": lambda e, m: f"{m}\n",
    "time": lambda e, m: f"{_stamp(e)} {e.level}/{e.tag:<8}({e.pid:5d}): {m}\n",
    "threadtime": lambda e, m: f"{_stamp(e)} {e.pid:5d} {e.tid:5d} {e.level} {e.tag:<8}: {m}\n",
}
#: -v words that modify a format; accepted, not rendered.
_MODIFIERS = {"color", "descriptive", "epoch", "monotonic", "printable", "uid", "usec",
              "UTC", "year", "zone", "nsec"}


def render(entry: LogEntry, fmt: str) -> str:
    if fmt == "long":
        head = f"[ {_stamp(entry)} {entry.pid:5d}:{entry.tid:5d} {entry.level}/{entry.tag} ]\n"
        return head + entry.msg + "\n\n"
    line = _FORMATS[fmt]
    return "".join(line(entry, m) for m in _lines(entry))


@dataclass
class _Options:
    fmt: str = "threadtime"
    clear: bool = False
    dump: bool = False
    tail: int | None = None
    default_level: str = "V"
    filters: dict[str, str] = field(default_factory=dict)

    def wants(self, entry: LogEntry) -> bool:
        level = self.filters.get(entry.tag, self.default_level)
        return _PRIORITIES.index(entry.level) >= _PRIORITIES.index(level)


def _parse(args: list[str]) -> _Options:
    opts = _Options()
    it = iter(args)
    for arg in it:
        if arg in ("-c", "--clear"):
            opts.clear = True
        elif arg == "-d":
            opts.dump = True
        elif arg == "-s":
            opts.default_level = "S"
        elif arg in ("-v", "--format") or arg.startswith(("-v", "--format=")):
            value = (next(it, "") if arg in ("-v", "--format")
                     else arg.split("=", 1)[1] if arg.startswith("--format=") else arg[2:])
            if value in _FORMATS or value == "long":
                opts.fmt = value
            elif value not in _MODIFIERS:
                raise CommandError(f"logcat: Invalid parameter \"{value}\" to -v", 1)
        elif arg in ("-t", "-T"):
            value = next(it, "")
            if not value.isdigit():
                raise CommandError(f"logcat: -{arg[1]} needs a count", 1)
            opts.tail = int(value)
            opts.dump = opts.dump or arg == "-t"
        elif arg in ("-b", "--buffer", "-G", "-n", "-r", "-m", "-e", "--regex", "--pid"):
            next(it, None)  # buffers, sizes, rotation: one buffer here, nothing to choose
        elif arg.startswith("-"):
            continue
        else:
            tag, _, level = arg.rpartition(":")
            level = (level or "V").upper()[:1]
            if not tag or level not in _PRIORITIES:
                raise CommandError(f"logcat: Invalid filter expression '{arg}'", 1)
            if tag == "*":
                opts.default_level = level
            else:
                opts.filters[tag] = level
    return opts


@command("logcat")
async def logcat(ctx: Ctx) -> int:
    buffer = ctx.device.logcat
    opts = _parse(ctx.args)
    if opts.clear:
        buffer.clear()
        return 0
    # since(0): every entry still in the ring (the ring drops the oldest, and -c all).
    current, serial = buffer.since(0)
    shown = [e for e in current if opts.wants(e)]
    if opts.tail is not None:
        shown = shown[-opts.tail:] if opts.tail else []
    await ctx.out("".join(render(e, opts.fmt) for e in shown))
    if opts.dump:
        return 0
    while True:  # follow until the client closes the stream
        try:
            await asyncio.wait_for(buffer.wait_new(serial), IDLE_HEARTBEAT_S)
        except asyncio.TimeoutError:
            # A real device is never quiet for long, and clients rely on it: adbutils'
            # logcat() only notices stop() when its reader gets the next line.
            buffer.add(ctx.device.system_pid, "D", "BatteryService",
                       "Processing new values: level=100 scale=100 status=2 health=2")
            continue
        entries, serial = buffer.since(serial)
        await ctx.out("".join(render(e, opts.fmt) for e in entries if opts.wants(e)))


@command("log")
async def log(ctx: Ctx) -> int:
    level, tag = "I", "log"
    words: list[str] = []
    it = iter(ctx.args)
    for arg in it:
        if arg == "-p" and not words:
            level = next(it, "i").upper()[:1]
            if level not in LEVELS:
                raise CommandError(f"log: bad -p '{level.lower()}'", 1)
        elif arg == "-t" and not words:
            tag = next(it, "log")
        else:
            words.append(arg)
    if not words:
        raise CommandError("log: Need message", 1)
    ctx.device.logcat.add(SHELL_PID, level, tag, " ".join(words))
    return 0
