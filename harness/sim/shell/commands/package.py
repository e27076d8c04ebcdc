"""``pm`` / ``cmd package``: list, install (and install sessions), uninstall, clear, grant,
revoke, path, dump."""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Mapping

from harness.sim.identity import CONTROLLER_ID_NAMESPACE, DEFAULT_PROFILE, permission_controller
from harness.sim.packages import Installed, InstallFailure, valid_package
from harness.sim.shell.commands.install_session import SESSION_VERBS
from harness.sim.shell.commands.registry import command
from harness.sim.shell.commands.system_packages import (
    SYSTEM_PACKAGES,
    SystemPackage,
    dump_system_package,
    fake_hash,
    stamp,
)
from harness.sim.shell.interp import CommandError, Ctx
from harness.sim.shell.streams import read_exactly


def system_packages(ctx: Ctx) -> Mapping[str, SystemPackage]:
    """The image's system packages: a Google image ships Google's build of the
    PermissionController module (in the permission APEX) instead of AOSP's."""
    controller = permission_controller(ctx.device.props.get("ro.harness.sim.profile",
                                                            DEFAULT_PROFILE))
    if controller == CONTROLLER_ID_NAMESPACE:
        return SYSTEM_PACKAGES
    packages = {k: v for k, v in SYSTEM_PACKAGES.items() if k != CONTROLLER_ID_NAMESPACE}
    old = SYSTEM_PACKAGES[CONTROLLER_ID_NAMESPACE]
    packages[controller] = SystemPackage(
        controller, "/apex/com.android.permission/priv-app/GooglePermissionController/"
        "GooglePermissionController.apk", old.uid)
    return packages


def _pkg_arg(ctx: Ctx, args: list[str], verb: str) -> str:
    names = [a for a in args if not a.startswith("-")]
    if not names:
        raise CommandError(f"Error: no package specified for '{verb}'", 255)
    name = names[0]
    if not valid_package(name):
        raise CommandError(f"Error: invalid package name: {name!r}", 255)
    return name


async def _list(ctx: Ctx, args: list[str]) -> int:
    if not args or args[0] != "packages":
        what = args[0] if args else ""
        if what == "permissions":
            return 0
        raise CommandError(f"Error: unknown list type '{what}'", 255)
    opts = [a for a in args[1:] if a.startswith("-")]
    filters = [a for a in args[1:] if not a.startswith("-") and a != "0"]
    db = ctx.device.packages
    rows: list[tuple[str, str]] = []
    if "-3" not in opts:
        rows += [(p.name, p.apk) for p in system_packages(ctx).values()]
    if "-s" not in opts:
        rows += [(name, f"/data/app/{name}/base.apk") for name in sorted(db.packages)]
    lines = []
    for name, path in sorted(rows):
        if filters and not any(f in name for f in filters):
            continue
        lines.append(f"package:{path}={name}" if "-f" in opts else f"package:{name}")
    await ctx.out("".join(line + "\n" for line in lines))
    return 0


async def _install(ctx: Ctx, args: list[str]) -> int:
    grant_all = False
    size: int | None = None
    paths: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "-g":
            grant_all = True
        elif arg == "-S":
            try:
                size = int(next(it))
            except (StopIteration, ValueError) as exc:
                raise CommandError("Error: -S needs a size", 255) from exc
        elif arg in ("-i", "--user", "--install-reason", "--originating-uri", "--referrer",
                     "-p", "--pkg", "--abi", "--install-location"):
            next(it, None)
        elif arg.startswith("-"):
            continue  # -r -t -d -f --dont-kill…: accepted, nothing to do here
        else:
            paths.append(arg)
    if size is not None:
        if size < 0:
            raise CommandError("Error: bad size", 255)
        with tempfile.TemporaryFile() as tmp:
            got = await read_exactly(ctx.io.stdin, size, tmp)
            if got != size:
                await ctx.out(f"Failure [INSTALL_FAILED_INVALID_APK: expected {size} bytes, "
                              f"got {got}]\n")
                return 1
            tmp.seek(0)
            data = tmp.read()
    elif paths:
        path = ctx.host(paths[0])
        if not path.is_file():
            await ctx.err(f"Error: Can't open file: {paths[0]}\n")
            await ctx.out("Failure [INSTALL_FAILED_INVALID_URI]\n")
            return 1
        data = path.read_bytes()
    else:
        raise CommandError("Error: must either specify a package size or an APK file", 255)
    try:
        await install_bytes(ctx, data, grant_all)
    except InstallFailure as exc:
        await ctx.out(f"{exc}\n")
        return 1
    await ctx.out("Success\n")
    return 0


async def install_bytes(ctx: Ctx, data: bytes, grant_all: bool) -> Installed:
    from harness.sim.packages import read_package

    manifest, archive = read_package(data)
    archive.close()
    # Android kills a running app when it is updated.
    await ctx.device.stop_app(manifest.package)
    return ctx.device.install(data, grant_all)


def dump_any(ctx: Ctx, name: str) -> str | None:
    """``dumpsys package NAME`` for an installed or a system package (None: unknown)."""
    entry = ctx.device.packages.get(name) if valid_package(name) else None
    if entry is not None:
        return dump_package(entry)
    system = system_packages(ctx).get(name)
    if system is None:
        return None
    props = ctx.device.props
    return dump_system_package(system, props.get("ro.build.version.sdk", "33"),
                               props.get("ro.build.version.release", "13"))


def apk_paths(ctx: Ctx, name: str) -> list[str]:
    """What ``pm path`` lists: the base APK, then each split's (as Android orders them)."""
    files = ctx.device.packages.apk_files(name)
    if files:
        return [f"/data/app/{name}/{f}" for f in files]
    system = system_packages(ctx).get(name)
    return [system.apk] if system is not None else []


def dump_package(entry: Installed) -> str:
    m = entry.manifest
    h = fake_hash(m.package)
    perms = "".join(f"        {p}: granted={'true' if p in entry.grants else 'false'}\n"
                    for p in m.permissions)
    requested = "".join(f"      {p}\n" for p in m.permissions)
    debuggable = "DEBUGGABLE " if m.debuggable else ""
    flags = f"[ {debuggable}HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]"
    return (
        "Packages:\n"
        f"  Package [{m.package}] ({h}):\n"
        f"    userId={10000 + zlib.crc32(m.package.encode()) % 900 + 100}\n"
        f"    pkg=Package{{{h} {m.package}}}\n"
        f"    codePath=/data/app/{m.package}\n"
        f"    versionCode={m.version_code} minSdk=24 targetSdk=33\n"
        f"    versionName={m.version_name}\n"
        f"    splits=[{', '.join(['base', *entry.splits])}]\n"
        f"    applicationInfo=ApplicationInfo{{{h} {m.package}}}\n"
        f"    flags={flags}\n"
        f"    pkgFlags={flags}\n"
        f"    dataDir=/data/user/0/{m.package}\n"
        f"    firstInstallTime={stamp(entry.first_install)}\n"
        f"    lastUpdateTime={stamp(entry.last_update)}\n"
        f"    requested permissions:\n{requested}"
        f"    runtime permissions:\n{perms}"
    )


async def _resolve_activity(ctx: Ctx, args: list[str]) -> int:
    brief = "--brief" in args
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg in ("-a", "-c", "-d", "-t", "--user"):
            next(it, None)
        elif not arg.startswith("-"):
            rest.append(arg)
    target = rest[0] if rest else ""
    pkg = target.split("/", 1)[0]
    entry = ctx.device.packages.get(pkg) if valid_package(pkg) else None
    if entry is None:
        await ctx.out("No activity found\n")
        return 0
    activity = entry.manifest.activity_class()
    head = "priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=true\n"
    if brief:
        await ctx.out(f"{head}{pkg}/{activity}\n")
    else:
        await ctx.out(f"{head}  ActivityInfo:\n    name={activity}\n    packageName={pkg}\n")
    return 0


async def _grant(ctx: Ctx, args: list[str], grant: bool) -> int:
    verb = "grant" if grant else "revoke"
    names = [a for a in args if not a.startswith("-")]
    if len(names) < 2:
        raise CommandError(f"Error: usage: pm {verb} PACKAGE PERMISSION", 255)
    pkg, perm = names[0], names[1]
    entry = ctx.device.packages.get(pkg) if valid_package(pkg) else None
    if entry is None:
        raise CommandError(f"Exception occurred while executing '{verb}':\n"
                           f"java.lang.IllegalArgumentException: Unknown package: {pkg}", 255)
    if perm not in entry.manifest.permissions:
        raise CommandError(f"Exception occurred while executing '{verb}':\n"
                           f"java.lang.SecurityException: Package {pkg} has not requested "
                           f"permission {perm}", 255)
    if grant:
        entry.grants.add(perm)
    else:
        entry.grants.discard(perm)
    ctx.device.notify_grants(pkg)
    return 0


@command("pm")
async def pm(ctx: Ctx) -> int:
    if not ctx.args:
        raise CommandError("usage: pm [list|install|uninstall|clear|grant|revoke|path|dump]",
                           255)
    verb, args = ctx.args[0], ctx.args[1:]
    db = ctx.device.packages
    if verb == "list":
        return await _list(ctx, args)
    if verb == "install":
        return await _install(ctx, args)
    if verb in SESSION_VERBS:
        return await SESSION_VERBS[verb](ctx, args)
    if verb == "resolve-activity":
        return await _resolve_activity(ctx, args)
    if verb in ("grant", "revoke"):
        return await _grant(ctx, args, verb == "grant")
    if verb in ("uninstall", "clear", "path", "dump"):
        pkg = _pkg_arg(ctx, args, verb)
        entry = db.get(pkg)
        if verb == "uninstall":
            if entry is None:
                await ctx.out("Failure [DELETE_FAILED_INTERNAL_ERROR]\n")
                return 1
            await ctx.device.stop_app(pkg)
            db.uninstall(pkg)
            await ctx.out("Success\n")
        elif verb == "clear":
            if entry is None:
                await ctx.out("Failed\n")
                return 1
            await ctx.device.clear_app(pkg)
            await ctx.out("Success\n")
        elif verb == "path":
            paths = apk_paths(ctx, pkg)
            if not paths:
                return 1
            await ctx.out("".join(f"package:{path}\n" for path in paths))
        else:
            dump = dump_any(ctx, pkg)
            if dump is not None:
                await ctx.out(dump)
        return 0
    raise CommandError(f"Unknown command: {verb}", 255)
