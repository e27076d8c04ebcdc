"""Small everyday commands: echo, getprop, settings, wm, id, sleep, ps, pidof…"""

from __future__ import annotations

import asyncio
import re
import time

from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx


@command("true")
async def true_(ctx: Ctx) -> int:
    return 0


@command("false")
async def false_(ctx: Ctx) -> int:
    return 1


@command("echo")
async def echo(ctx: Ctx) -> int:
    args = ctx.args
    newline, escapes = True, False
    # toybox echo: leading -n/-e/-E (and combinations such as -ne); anything else is text.
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        newline = newline and "n" not in args[0]
        escapes = "e" in args[0] or (escapes and "E" not in args[0])
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop, _ = text.partition("\\c")  # \c: no further output, not even the newline
        newline = newline and not stop
        text = text.encode("latin-1", "backslashreplace").decode("unicode_escape")
    await ctx.out(text + ("\n" if newline else ""))
    return 0


@command("id")
async def id_(ctx: Ctx) -> int:
    await ctx.out("uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),"
                  "1011(adb),1015(sdcard_rw),1028(sdcard_r),3003(inet) context=u:r:shell:s0\n")
    return 0


@command("whoami")
async def whoami(ctx: Ctx) -> int:
    await ctx.out("shell\n")
    return 0


@command("uname")
async def uname(ctx: Ctx) -> int:
    await ctx.out("Linux\n" if "-a" not in ctx.args else
                  "Linux localhost 5.15.0-sim #1 SMP PREEMPT x86_64 Toybox\n")
    return 0


@command("sleep")
async def sleep(ctx: Ctx) -> int:
    try:
        seconds = float(ctx.args[0])
    except (IndexError, ValueError) as exc:
        raise CommandError("sleep: need a number of seconds") from exc
    await asyncio.sleep(max(0.0, min(seconds, 3600.0)))
    return 0


@command("date")
async def date(ctx: Ctx) -> int:
    if ctx.args and ctx.args[0] == "+%s":
        await ctx.out(f"{int(time.time())}\n")
    else:
        await ctx.out(time.strftime("%a %b %d %H:%M:%S %Z %Y\n"))
    return 0


@command("getprop")
async def getprop(ctx: Ctx) -> int:
    props = ctx.device.props
    if ctx.args:
        default = ctx.args[1] if len(ctx.args) > 1 else ""
        await ctx.out(props.get(ctx.args[0], default) + "\n")
    else:
        await ctx.out("".join(f"[{k}]: [{v}]\n" for k, v in sorted(props.items())))
    return 0


@command("setprop")
async def setprop(ctx: Ctx) -> int:
    if len(ctx.args) != 2:
        raise CommandError("usage: setprop NAME VALUE")
    name, value = ctx.args
    if name.startswith("ro.") and name in ctx.device.props:
        raise CommandError(f"Failed to set property '{name}' to '{value}'.")
    ctx.device.props[name] = value
    return 0


@command("settings")
async def settings(ctx: Ctx) -> int:
    args = [a for a in ctx.args if not a.startswith("--")]
    if len(args) < 2 or args[1] not in ("system", "secure", "global"):
        raise CommandError("usage: settings [get|put|delete|list] NAMESPACE [KEY [VALUE]]", 255)
    verb, ns = args[0], args[1]
    table = ctx.device.settings.setdefault(ns, {})
    if verb == "get" and len(args) >= 3:
        await ctx.out(table.get(args[2], "null") + "\n")
    elif verb == "put" and len(args) >= 4:
        table[args[2]] = args[3]
    elif verb == "delete" and len(args) >= 3:
        table.pop(args[2], None)
    elif verb == "list":
        await ctx.out("".join(f"{k}={v}\n" for k, v in sorted(table.items())))
    else:
        raise CommandError("settings: bad arguments", 255)
    return 0


@command("wm")
async def wm(ctx: Ctx) -> int:
    cfg = ctx.device.display
    sub = ctx.args[0] if ctx.args else ""
    if sub == "size":
        await ctx.out(f"Physical size: {cfg.width}x{cfg.height}\n")
    elif sub == "density":
        await ctx.out(f"Physical density: {cfg.density}\n")
    else:
        raise CommandError("usage: wm [size|density]", 255)
    return 0


@command("pidof")
async def pidof(ctx: Ctx) -> int:
    apps, services = ctx.device.running_apps(), ctx.device.service_processes()
    pids = [str(app.pid) for name in ctx.args
            if (app := apps.get(name) or services.get(name)) is not None]
    pids += [str(pid) for pid, name in ctx.device.system_processes() if name in ctx.args]
    if not pids:
        return 1
    await ctx.out(" ".join(pids) + "\n")
    return 0


@command("ps")
async def ps(ctx: Ctx) -> int:
    lines = ["USER            PID   PPID     VSZ    RSS WCHAN            ADDR S NAME"]
    rows = [("root", pid, 0 if pid == 1 else 1, name)
            for pid, name in ctx.device.system_processes()]
    rows += [(f"u0_a{app.uid - 10000}", app.pid, ctx.device.zygote_pid, app.package)
             for app in ctx.device.running_apps().values()]
    rows += [(f"u0_a{app.uid - 10000}", app.pid, ctx.device.zygote_pid, name)
             for name, app in ctx.device.service_processes().items()]
    wanted = [a for a in ctx.args if not a.startswith("-")]
    for user, pid, ppid, name in rows:
        if wanted and str(pid) not in wanted and name not in wanted:
            continue
        lines.append(f"{user:<12} {pid:>6} {ppid:>6} 1234567 123456 0                   0 S {name}")
    await ctx.out("\n".join(lines) + "\n")
    return 0


@command("grep")
async def grep(ctx: Ctx) -> int:
    flags = 0
    invert = fixed = False
    args = list(ctx.args)
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        invert |= "v" in opt
        fixed |= "F" in opt
        if "i" in opt:
            flags |= re.IGNORECASE
    if not args:
        raise CommandError("usage: grep [-ivEF] PATTERN", 2)
    pattern = re.compile(re.escape(args[0]) if fixed else args[0], flags)
    text = (await ctx.stdin_bytes()).decode("utf-8", "replace")
    matched = [line for line in text.splitlines(keepends=True)
               if bool(pattern.search(line)) != invert]
    await ctx.out("".join(matched))
    return 0 if matched else 1


@command("sh")
async def sh(ctx: Ctx) -> int:
    if len(ctx.args) >= 2 and ctx.args[0] == "-c":
        return await ctx.shell.run(ctx.args[1], ctx.io)
    if ctx.args and not ctx.args[0].startswith("-"):
        # `sh FILE ARGS`: the script is the file (stdin stays the caller's: a streamed
        # session's never ends), $0 the file, $1… the arguments
        from harness.sim.shell.interp import run_script

        return await run_script(ctx, ctx.args[0], ctx.args[1:])
    script = (await ctx.stdin_bytes()).decode("utf-8", "replace")
    return await ctx.shell.run(script, ctx.io)


@command("cmd")
async def cmd(ctx: Ctx) -> int:
    from harness.sim.shell.commands.activity import am
    from harness.sim.shell.commands.package import pm

    if not ctx.args:
        raise CommandError("cmd: no service given", 255)
    service = ctx.args[0]
    handlers = {"package": ("pm", pm), "activity": ("am", am)}
    if service in handlers:
        name, func = handlers[service]
        return await func(Ctx(ctx.device, ctx.shell, ctx.io, [name, *ctx.args[1:]]))
    raise CommandError(f"cmd: Can't find service: {service}", 255)
