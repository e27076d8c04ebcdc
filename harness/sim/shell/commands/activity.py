"""``am``, ``monkey`` and ``dumpsys``: starting and stopping apps, and what is in front."""

from __future__ import annotations

import re
import time

from harness.sim.packages import CLASS_RE, valid_package
from harness.sim.shell.commands.package import dump_any
from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx

_VALUE_OPTS = {"-a", "-d", "-t", "-c", "-f", "--user", "-e", "--es", "--ei", "--ez", "-P",
               "--start-profiler", "--sampling", "--attach-agent", "--windowingMode",
               "--activityType", "--display", "--task"}
_PAIR_OPTS = {"-e", "--es", "--ei", "--ez", "--el", "--ef", "--eu"}


async def _start(ctx: Ctx, args: list[str]) -> int:
    component = ""
    debug = wait = stop_first = False
    it = iter(args)
    for arg in it:
        if arg == "-n":
            component = next(it, "")
        elif arg == "-D":
            debug = True
        elif arg == "-W":
            wait = True
        elif arg == "-S":
            stop_first = True
        elif arg in _PAIR_OPTS:
            next(it, None)
            next(it, None)
        elif arg in _VALUE_OPTS:
            next(it, None)
        elif not arg.startswith("-") and not component and "/" in arg:
            component = arg
    if not component:
        raise CommandError("Error: only 'am start -n PACKAGE/ACTIVITY' is supported here", 1)
    pkg, _, act = component.partition("/")
    if not valid_package(pkg) or not CLASS_RE.match(act or "."):
        raise CommandError(f"Error: bad component name: {component}", 1)
    await ctx.out(f"Starting: Intent {{ cmp={pkg}/{act} }}\n")
    entry = ctx.device.packages.get(pkg)
    if entry is None:
        await ctx.err(f"Error type 3\nError: Activity class {{{pkg}/{act}}} does not exist.\n")
        return 1
    activity = entry.manifest.activity_class(act or None)
    if debug and not _debuggable(ctx, entry.manifest.debuggable):
        # As ActivityTaskSupervisor.resolveActivity does (Android 12+): on a user build a
        # non-debuggable app is started anyway, without waiting for a debugger, and only
        # the log says so; `am` prints and returns exactly what it does for any start.
        ctx.device.logcat.add(ctx.device.system_pid, "W", "ActivityTaskManager",
                              f"Ignore debugging for non-debuggable app: {pkg}")
        debug = False
    if stop_first:
        await ctx.device.stop_app(pkg)
    was_running = pkg in ctx.device.running_apps()
    began = time.monotonic()
    app = await ctx.device.start_app(pkg, activity, debug)
    if was_running:
        await ctx.out("Warning: Activity not started, its current task has been brought to "
                      "the front\n")
    if wait:
        total = int((time.monotonic() - began) * 1000)
        await ctx.out(f"Status: ok\nLaunchState: {'HOT' if was_running else 'COLD'}\n"
                      f"Activity: {pkg}/{app.activity}\nTotalTime: {total}\n"
                      f"WaitTime: {total}\nComplete\n")
    return 0


def _debuggable(ctx: Ctx, app_debuggable: bool) -> bool:
    """Build.IS_DEBUGGABLE (``ro.debuggable=1``) or the app's FLAG_DEBUGGABLE."""
    return ctx.device.props.get("ro.debuggable") == "1" or app_debuggable


@command("am")
async def am(ctx: Ctx) -> int:
    if not ctx.args:
        raise CommandError("usage: am [start|force-stop|kill] ...", 255)
    verb, args = ctx.args[0], ctx.args[1:]
    if verb in ("start", "start-activity"):
        return await _start(ctx, args)
    if verb == "set-debug-app":
        return await _set_debug_app(ctx, args)
    if verb == "clear-debug-app":
        ctx.device.set_debug_app(None, False, True)
        return 0
    if verb in ("force-stop", "kill", "stop-app"):
        names = [a for a in args if not a.startswith("-")]
        if not names or not valid_package(names[0]):
            raise CommandError(f"Error: am {verb} needs a package name", 255)
        await ctx.device.stop_app(names[0])
        return 0
    raise CommandError(f"Error: am {verb} is not supported by this device", 255)


async def _set_debug_app(ctx: Ctx, args: list[str]) -> int:
    """``am set-debug-app [-w] [--persistent] <PROCESS>``, as ActivityManagerService's
    setDebugApp: the name is matched against PROCESS names when a process attaches (the
    package is its main process; ``pkg:push`` another one), one name at a time; setting it
    force-stops the package of that name (none for ``pkg:push``); without ``--persistent``
    the first matching attach consumes it."""
    wait = persistent = False
    names: list[str] = []
    for arg in args:
        if arg == "-w":
            wait = True
        elif arg == "--persistent":
            persistent = True
        elif arg.startswith("-"):
            raise CommandError(f"Error: Unknown option: {arg}", 255)
        else:
            names.append(arg)
    if len(names) != 1 or not _PROCESS_RE.match(names[0]):
        raise CommandError("usage: am set-debug-app [-w] [--persistent] <PACKAGE>", 255)
    name = names[0]
    if ctx.device.packages.get(name) is not None:
        await ctx.device.stop_app(name)  # forceStopPackageLocked(packageName, …, "set debug app")
    ctx.device.set_debug_app(name, wait, persistent)
    return 0


#: A process name: a package, optionally ``:`` and a suffix (``com.example.x:push``).
_PROCESS_RE = re.compile(
    r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+(:[A-Za-z0-9_.]{1,64})?$")


@command("monkey")
async def monkey(ctx: Ctx) -> int:
    pkg = ""
    it = iter(ctx.args)
    for arg in it:
        if arg == "-p":
            pkg = next(it, "")
        elif arg in ("-c", "--throttle", "-s", "--pct-touch"):
            next(it, None)
    entry = ctx.device.packages.get(pkg) if valid_package(pkg) else None
    if entry is None:
        await ctx.err("** No activities found to run, monkey aborted.\n")
        return 252
    await ctx.out("  bash arg: -p\n  bash arg: " + pkg + "\n")
    await ctx.device.start_app(pkg, entry.manifest.activity_class(), False)
    await ctx.out("Events injected: 1\n## Network stats: elapsed time=12ms (0ms mobile, "
                  "0ms wifi, 12ms not connected)\n")
    return 0


def _focus(ctx: Ctx) -> tuple[str, str, int]:
    """(package, activity, pid) of the focused window."""
    device = ctx.device
    prompt = device.prompt_surface()
    app = device.front_app()
    if prompt is not None:
        # Google's controller package runs the module's own (com.android…) classes
        return (prompt.package, "com.android.permissioncontroller.permission.ui."
                "GrantPermissionsActivity", device.system_pid)
    if app is None:
        return ("com.android.launcher3", "com.android.launcher3.Launcher", device.launcher_pid)
    return (app.package, app.activity, app.pid)


async def _dumpsys_window(ctx: Ctx) -> None:
    pkg, act, _pid = _focus(ctx)
    lines = ["WINDOW MANAGER WINDOWS (dumpsys window windows)"]
    for i, surface in enumerate(ctx.device.surfaces()):
        lines.append(f"  Window #{i} Window{{{i + 0x1a2b3c:x} u0 {surface.package}/"
                     f"{surface.window.title or surface.window.type}}}:")
    lines.append(f"  mCurrentFocus=Window{{7f3a2c1 u0 {pkg}/{act}}}")
    lines.append(f"  mFocusedApp=ActivityRecord{{4e5d6f u0 {pkg}/{act} t12}}")
    await ctx.out("\n".join(lines) + "\n")


async def _dumpsys_activity(ctx: Ctx, what: str) -> None:
    pkg, act, pid = _focus(ctx)
    if what == "top":
        await ctx.out(f"TASK 0x1 id=12 userId=0\n  ACTIVITY {pkg}/{act} 4e5d6f pid={pid}\n")
    else:
        await ctx.out("ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)\n"
                      f"  mResumedActivity: ActivityRecord{{4e5d6f u0 {pkg}/{act} t12}}\n"
                      f"  ResumedActivity: ActivityRecord{{4e5d6f u0 {pkg}/{act} t12}}\n")


@command("dumpsys")
async def dumpsys(ctx: Ctx) -> int:
    args = ctx.args
    service = args[0] if args else ""
    cfg = ctx.device.display
    if service == "window":
        await _dumpsys_window(ctx)
    elif service == "activity":
        sub = args[1] if len(args) > 1 else "activities"
        await _dumpsys_activity(ctx, "top" if sub == "top" else "activities")
    elif service == "package":
        name = args[1] if len(args) > 1 else ""
        dump = dump_any(ctx, name)
        if dump is not None:
            await ctx.out(dump)
        else:
            await ctx.out(f"Unable to find package: {name}\n")
    elif service == "display":
        await ctx.out(
            "DISPLAY MANAGER (dumpsys display)\n"
            f"  mDefaultViewport=DisplayViewport{{valid=true, orientation=0, "
            f"deviceWidth={cfg.width}, deviceHeight={cfg.height}}}\n"
            f"  DisplayDeviceInfo{{\"Built-in Screen\": {cfg.width} x {cfg.height}, "
            f"density {cfg.density}, rotation 0}}\n")
    elif service == "battery":
        await ctx.out("Current Battery Service state:\n  AC powered: true\n  USB powered: false\n"
                      "  status: 2\n  health: 2\n  present: true\n  level: 100\n  scale: 100\n"
                      "  voltage: 4200\n  temperature: 250\n  technology: Li-ion\n")
    elif service == "power":
        await ctx.out("POWER MANAGER (dumpsys power)\n  mWakefulness=Awake\n"
                      "  mHoldingDisplaySuspendBlocker=true\n")
    else:
        await ctx.out(f"Can't find service: {service}\n")
        return 0
    return 0
