"""``input``, ``uiautomator dump``, ``screencap`` and ``screenrecord``: the screen as the
host sees it."""

from __future__ import annotations

import asyncio
import re
import signal

from harness.sim.framebuffer import idr_frame, mp4_file, png_to_rgb
from harness.sim.png import render_png
from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx, current_job
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


#: screenrecord's options that take a value (getopt_long in screenrecord.cpp).
_RECORD_VALUED = {"--size", "--bit-rate", "--time-limit", "--output-format", "--codec-name",
                  "--display-id", "--bframes"}
_RECORD_FLAGS = {"--verbose", "--rotate", "--bugreport", "--persistent-surface", "--monotonic-time"}
_RECORD_MAX_S = 180
#: How often the recorder looks at the screen; a frame is written only when it changed
#: (a virtual display only produces frames when SurfaceFlinger composes a new one).
_RECORD_POLL_S = 0.5


def _scale(width: int, height: int, rgb: bytes, to_w: int, to_h: int) -> bytes:
    """Nearest-neighbour resize (``--size``)."""
    cols = [min(width - 1, x * width // to_w) * 3 for x in range(to_w)]
    out = bytearray()
    for y in range(to_h):
        row = rgb[min(height - 1, y * height // to_h) * width * 3:][:width * 3]
        for i in cols:
            out += row[i:i + 3]
    return bytes(out)


def _record_options(args: list[str], width: int, height: int) -> tuple[dict[str, str], list[str]]:
    opts: dict[str, str] = {"size": f"{width}x{height}", "time-limit": str(_RECORD_MAX_S),
                            "bit-rate": "20000000"}
    files: list[str] = []
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        if name in _RECORD_VALUED:
            if not eq:
                if not args:
                    raise CommandError(f"screenrecord: option '{name}' requires an argument", 2)
                value = args.pop(0)
            opts[name[2:]] = value
        elif arg in _RECORD_FLAGS:
            opts[arg[2:]] = "1"
        elif arg == "--help":
            raise CommandError("Usage: screenrecord [options] <filename>\n\n"
                               "Android screenrecord v1.3.  Records the device's display to "
                               "a .mp4 file.", 0)
        elif arg.startswith("-") and arg != "-":
            raise CommandError(f"screenrecord: unrecognized option '{arg}'", 2)
        else:
            files.append(arg)
    return opts, files


@command("screenrecord")
async def screenrecord(ctx: Ctx) -> int:
    """frameworks/av/cmds/screenrecord: the display as H.264 in MP4, until SIGINT/SIGHUP
    (a background job's ``kill -INT``), the end of the adb session, or the time limit."""
    cfg = ctx.device.display
    opts, files = _record_options(list(ctx.args), cfg.width, cfg.height)
    limit = int(opts["time-limit"]) if opts["time-limit"].isdigit() else 0
    if not 1 <= limit <= _RECORD_MAX_S:
        raise CommandError(f"Time limit {opts['time-limit']}s outside acceptable range "
                           f"[1,{_RECORD_MAX_S}]", 2)
    size = re.fullmatch(r"(\d+)x(\d+)", opts["size"])
    if size is None:
        raise CommandError(f"Invalid size '{opts['size']}', must be width x height", 2)
    out_w, out_h = int(size.group(1)), int(size.group(2))
    if not out_w or not out_h:
        raise CommandError(f"Invalid size {out_w}x{out_h}, width and height may not be zero", 2)
    if len(files) != 1:
        raise CommandError("Must specify output file (see --help).", 2)
    path = ctx.host(files[0])
    if not path.parent.is_dir() or path.is_dir():
        reason = "Is a directory" if path.is_dir() else "No such file or directory"
        raise CommandError(f"Unable to open '{files[0]}': {reason}", 1)
    path.touch()
    rate = re.fullmatch(r"(\d+)([kKmM]?)", opts["bit-rate"])
    if rate is None:
        raise CommandError(f"Invalid bit rate '{opts['bit-rate']}'", 2)
    bits = int(rate.group(1)) * {"": 1, "k": 1000, "m": 1000000}[rate.group(2).lower()]
    verbose = "verbose" in opts
    if verbose:
        await ctx.out(f"Main display is {cfg.width}x{cfg.height} @60.00fps "
                      f"(orientation=ROTATION_0)\nConfiguring recorder for {out_w}x{out_h} "
                      f"video/avc at {bits / 1e6:.2f}Mbps\n"
                      f"Content area is {out_w}x{out_h} at offset x=0 y=0\n")
    job = current_job()
    if job is not None:
        job.catching = frozenset({signal.SIGINT, signal.SIGHUP})
    loop = asyncio.get_running_loop()
    start = loop.time()
    frames: list[tuple[float, bytes]] = []
    shown = b""

    def grab() -> None:
        nonlocal shown
        at = loop.time() - start  # the frame's time is when the screen was composed
        png = render_png(ctx.device.surfaces(), cfg.width, cfg.height)
        if png != shown:
            shown = png
            width, height, rgb = png_to_rgb(png)
            if (out_w, out_h) != (width, height):
                rgb = _scale(width, height, rgb, out_w, out_h)
            frames.append((at, idr_frame(out_w, out_h, rgb, len(frames))))

    def finish() -> None:
        path.write_bytes(mp4_file(out_w, out_h, frames, loop.time() - start))

    try:
        while True:
            grab()
            left = start + limit - loop.time()
            if left <= 0 or (job is not None and job.caught.is_set()):
                break
            wait = min(_RECORD_POLL_S, left)
            if job is None:
                await asyncio.sleep(wait)
            else:
                try:
                    await asyncio.wait_for(job.caught.wait(), wait)
                except TimeoutError:
                    pass
    except asyncio.CancelledError:
        finish()   # the adb session went away: SIGHUP, which screenrecord handles
        raise
    finish()
    if verbose:
        await ctx.out(f"Encoder stopping; recorded {len(frames)} frames in "
                      f"{int(loop.time() - start)} seconds\nStopping encoder and muxer\n")
    return 0
