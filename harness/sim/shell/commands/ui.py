"""``input``, ``uiautomator dump`` and ``screencap``: the screen as the host sees it."""

from __future__ import annotations

import asyncio

from harness.sim.png import render_png
from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx
from harness.sim.windows import active_surface, render_hierarchy

KEYCODES = {3: "HOME", 4: "BACK", 19: "DPAD_UP", 20: "DPAD_DOWN", 21: "DPAD_LEFT",
            22: "DPAD_RIGHT", 23: "DPAD_CENTER", 24: "VOLUME_UP", 25: "VOLUME_DOWN",
            26: "POWER", 61: "TAB", 66: "ENTER", 67: "DEL", 82: "MENU", 84: "SEARCH",
            111: "ESCAPE", 164: "VOLUME_MUTE", 187: "APP_SWITCH", 224: "WAKEUP"}
_KEYNAMES = set(KEYCODES.values())
DEFAULT_DUMP = "/sdcard/window_dump.xml"


def key_name(arg: str) -> str:
    if arg.isdigit():
        code = int(arg)
        return KEYCODES.get(code, f"KEYCODE_{code}")
    name = arg.upper().removeprefix("KEYCODE_")
    if name not in _KEYNAMES and not name.isalnum():
        raise CommandError(f"Error: Unknown keycode {arg}", 1)
    return name


def _ints(values: list[str], count: int) -> list[int]:
    try:
        return [int(float(v)) for v in values[:count]]
    except ValueError as exc:
        raise CommandError(f"Error: bad coordinates {' '.join(values)}", 1) from exc


@command("input")
async def input_(ctx: Ctx) -> int:
    args = list(ctx.args)
    # Optional source and display arguments: input [touchscreen|keyboard] [-d N] VERB …
    while args and (args[0] in ("touchscreen", "keyboard", "touchpad", "dpad", "gamepad")
                    or args[0] == "-d"):
        if args.pop(0) == "-d" and args:
            args.pop(0)
    if not args:
        raise CommandError("usage: input [tap|text|keyevent|swipe] ...", 1)
    verb, rest = args[0], args[1:]
    device = ctx.device
    if verb == "tap" and len(rest) >= 2:
        x, y = _ints(rest, 2)
        device.tap(x, y)
    elif verb == "swipe" and len(rest) >= 4:
        x1, y1, x2, y2 = _ints(rest, 4)
        # input's default: 300 ms for a swipe, as in AOSP's InputShellCommand
        duration = _ints(rest[4:], 1)[0] if len(rest) > 4 else 300
        await device.swipe(x1, y1, x2, y2, max(0, duration))
    elif verb == "draganddrop" and len(rest) >= 4:
        _ints(rest, 4)  # validated; no sim view takes drag-and-drop
    elif verb == "keyevent" and rest:
        for arg in rest:
            if arg.startswith("--"):
                continue
            device.key(key_name(arg))
    elif verb == "text" and rest:
        # Android's input text turns %s into spaces.
        device.type_text(" ".join(rest).replace("%s", " "))
    else:
        raise CommandError(f"Error: Unknown command: {verb}", 1)
    return 0


@command("uiautomator")
async def uiautomator(ctx: Ctx) -> int:
    args = [a for a in ctx.args if a not in ("--compressed", "--verbose")]
    if not args or args[0] != "dump":
        raise CommandError("Usage: uiautomator dump [--compressed] [file]", 1)
    target = args[1] if len(args) > 1 else DEFAULT_DUMP
    device = ctx.device
    if device.faults.ui_delay_ms:
        await asyncio.sleep(device.faults.ui_delay_ms / 1000)
    # As AOSP's DumpCommand: wait for idle, then dump the active window. Its failures are
    # a line on stderr, no file and exit status 0 (run() just returns).
    if not await device.wait_ui_idle():
        await ctx.err("ERROR: could not get idle state.\n")
        return 0
    surfaces = device.surfaces()
    if active_surface(surfaces) is None:
        await ctx.err("ERROR: null root node returned by UiTestAutomationBridge.\n")
        return 0
    xml = render_hierarchy(surfaces)
    if device.faults.malform_next_dump:
        device.faults.malform_next_dump = False
        # A dump cut off mid-element, as when the UI changes under uiautomator.
        xml = xml[: max(60, len(xml) // 2)] + "<node text=\"\x01"
    path = ctx.host(target)
    if not path.parent.is_dir():
        raise CommandError(f"ERROR: could not create {target}", 1)
    path.write_text(xml, encoding="utf-8")
    await ctx.out(f"UI hierchary dumped to: {target}\n")
    return 0


@command("screencap")
async def screencap(ctx: Ctx) -> int:
    paths = [a for a in ctx.args if not a.startswith("-")]
    cfg = ctx.device.display
    data = render_png(ctx.device.surfaces(), cfg.width, cfg.height)
    if paths:
        path = ctx.host(paths[0])
        if not path.parent.is_dir():
            raise CommandError(f"Error: could not open {paths[0]}", 1)
        path.write_bytes(data)
    else:
        await ctx.out(data)
    return 0
