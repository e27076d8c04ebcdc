"""``pm install-create`` / ``install-write`` / ``install-commit`` / ``install-abandon``:
install sessions, how ``adb install-multiple`` installs split APKs.

Outputs and failures are Android's (``PackageManagerShellCommand``): ``Success: created
install session [N]``, ``Success: streamed N bytes``, ``Success`` / ``Failure [CODE:
message]`` on commit; an unknown session is the SecurityException Android's
PackageInstallerService throws, printed as ``cmd`` prints any exception (exit 255).
The adb CLI (with the ``cmd`` feature and no ``abb_exec``) sends them as
``exec:cmd package install-write -S SIZE N NAME -`` with the APK's bytes on stdin.
"""

from __future__ import annotations

import tempfile

from harness.sim.packages import InstallFailure, InstallSession, check_session
from harness.sim.shell.interp import CommandError, Ctx
from harness.sim.shell.streams import read_exactly

#: ``install-create`` options that take a value (accepted, not used by the simulator).
_VALUED = frozenset({"-i", "--user", "--install-reason", "--originating-uri", "--referrer",
                     "--pkg", "--abi", "--install-location", "--force-uuid", "--apex",
                     "--staged-ready-timeout", "--update-ownership"})


def _exception(verb: str, kind: str, message: str) -> CommandError:
    return CommandError(f"Exception occurred while executing '{verb}':\n"
                        f"java.lang.{kind}: {message}", 255)


def _session(ctx: Ctx, verb: str, text: str | None) -> InstallSession:
    if text is None:
        raise _exception(verb, "IllegalArgumentException", "Missing session ID")
    try:
        sid = int(text)
    except ValueError as exc:
        raise _exception(verb, "NumberFormatException", f'For input string: "{text}"') from exc
    session = ctx.device.packages.sessions.get(sid)
    if session is None:
        raise _exception(verb, "SecurityException", f"Caller has no access to session {sid}")
    return session


async def install_create(ctx: Ctx, args: list[str]) -> int:
    grant_all = False
    it = iter(args)
    for arg in it:
        if arg == "-g":
            grant_all = True
        elif arg == "-S":
            size = next(it, None)
            if size is None or not size.isdigit():
                raise _exception("install-create", "IllegalArgumentException",
                                 "Size must be positive")
        elif arg == "-p":
            # An inheriting session (adding splits to an installed app) is not simulated:
            # say so rather than install something else than asked.
            raise _exception("install-create", "IllegalArgumentException",
                             "Unknown option -p (inheriting sessions are not simulated)")
        elif arg in _VALUED:
            next(it, None)
        elif not arg.startswith("-"):
            break  # options end at the first argument; Android ignores the rest
        # -r -t -d -f --dont-kill --full…: accepted, nothing to do here
    session = ctx.device.packages.create_session(grant_all)
    # NOTE (Android's own source): adb depends on parsing this string.
    await ctx.out(f"Success: created install session [{session.session_id}]\n")
    return 0


async def install_write(ctx: Ctx, args: list[str]) -> int:
    size = -1
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "-S":
            value = next(it, "")
            try:
                size = int(value)
            except ValueError as exc:
                raise _exception("install-write", "NumberFormatException",
                                 f'For input string: "{value}"') from exc
        elif arg.startswith("-") and arg != "-":
            raise _exception("install-write", "IllegalArgumentException",
                             f"Unknown option: {arg}")
        else:
            rest.append(arg)
    session = _session(ctx, "install-write", rest[0] if rest else None)
    if len(rest) < 2:
        raise _exception("install-write", "IllegalArgumentException", "Missing split name")
    name = rest[1]
    path = rest[2] if len(rest) > 2 and rest[2] != "-" else None
    if path is not None:
        host = ctx.host(path)
        if not host.is_file():
            await ctx.err(f"Error: Can't open file: {path}\n")
            return 255
        data = host.read_bytes()
    else:
        if size <= 0:
            await ctx.err("Error: must specify a APK size\n")
            return 1
        with tempfile.TemporaryFile() as tmp:
            got = await read_exactly(ctx.io.stdin, size, tmp)
            if got != size:
                await ctx.err(f"Error: failed to write; expected {size} bytes, got {got}\n")
                return 1
            tmp.seek(0)
            data = tmp.read()
    session.files[name] = data
    await ctx.out(f"Success: streamed {len(data)} bytes\n")
    return 0


async def install_commit(ctx: Ctx, args: list[str]) -> int:
    session = _session(ctx, "install-commit", next((a for a in args if a[:1] != "-"), None))
    # A session is used once: committed or failed, it is gone (Android destroys it).
    del ctx.device.packages.sessions[session.session_id]
    apks = list(session.files.items())
    try:
        manifest = check_session(apks)
        # Android kills a running app when it is updated.
        await ctx.device.stop_app(manifest.package)
        entry = ctx.device.packages.install_apks(apks, session.grant_all)
    except InstallFailure as exc:
        await ctx.out(f"{exc}\n")
        return 1
    ctx.device.logcat.add(ctx.device.system_pid, "I", "PackageManager",
                          f"installed {entry.package} version {entry.manifest.version_name}"
                          f" (splits: {', '.join(entry.splits) or 'none'})")
    await ctx.out("Success\n")
    return 0


async def install_abandon(ctx: Ctx, args: list[str]) -> int:
    session = _session(ctx, "install-abandon", next((a for a in args if a[:1] != "-"), None))
    del ctx.device.packages.sessions[session.session_id]
    await ctx.out("Success\n")
    return 0


SESSION_VERBS = {
    "install-create": install_create,
    "install-write": install_write,
    "install-commit": install_commit,
    "install-abandon": install_abandon,
    "install-destroy": install_abandon,  # Android's alias
}
