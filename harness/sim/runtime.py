"""The app runtime of the simulated device: its build cache and the launch contract.

Apps of the simulated device are JVM processes. The runtime is ``harness/sim/java/``'s
hand-written sources plus the stubs :mod:`harness.sim.stubgen` generates from the API
surface (whose public names are re-exported here), compiled once per content.

Compiled classes live in a content-keyed cache (``~/.cache/consent-harness/sim-java/<sha256>``);
several processes may build at once: each compiles into a private temporary folder and
renames it into place, the loser of the race throws its copy away.

Launch contract (docs/internals.md): :func:`launch_argv` returns the ``java …`` command line
of an installed sim package; the device runs it with the ``SIM_*`` environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harness.sim.errors import SimulatorError
from harness.sim.stubgen import (
    GENERATED_PREFIXES,
    GENERATOR_VERSION,
    JAVA_ROOT,
    SURFACE_PATH,
    StubMethod,
    StubPlan,
    api_key,
    generate_sources,
    java_sources,
    load_surface,
    plan_stubs,
    stub_classes,
    stub_entries,
    surface_table,
)

__all__ = [
    "BOOT_TREES", "GENERATED_PREFIXES", "GENERATOR_VERSION", "JAVA_ROOT", "JVM_FLAGS",
    "MAIN_CLASS", "SURFACE_PATH", "StubMethod", "StubPlan", "api_key", "app_classes",
    "build_plan", "cache_root", "generate_sources", "java", "java_sources", "javac",
    "launch_argv", "load_surface", "plan_stubs", "plugin_classes", "read_manifest",
    "read_runtime_info", "runtime_classes", "runtime_key", "runtime_split", "stub_classes",
    "stub_entries",
    "surface_table",
]

#: Main class of every app process (Android's name for it).
MAIN_CLASS = "android.app.ActivityThread"

#: Flags for a fast, small JVM: C1 only, serial GC, the JDK's CDS archive, no perf-data file.
#: Only the JDK's own CDS archive is used: hook targets must not come from an archive (Frida
#: does not see overrides of CDS-archived methods).
JVM_FLAGS = (
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    "-Xshare:auto",
    "-XX:-UsePerfData",
    "-Xss512k",
    "-Xms16m",
    "-Xmx192m",
    "-XX:CICompilerCount=1",
    "-Dfile.encoding=UTF-8",
    "-Dsun.stdout.encoding=UTF-8",
    "-Dsun.stderr.encoding=UTF-8",
)

#: Class trees of the runtime on the JVM's class path (Android's boot class path: the
#: framework). Everything else the runtime compiles (the consent SDK, the fictional SDKs,
#: androidx.core…) is what an app ships: with the app's own classes it is loaded by the
#: app's PathClassLoader, made when the app binds (ActivityThread), as on Android — so a
#: hook on it can only go in once that loader exists. androidx.fragment stays here only
#: because android.sim.Behaviours names androidx.fragment.app.Fragment in code.
BOOT_TREES = ("android", "dalvik", "com/android", "androidx/fragment")

JAVAC_MISSING = "javac not found: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"
JAVA_MISSING = "java not found: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"


# --------------------------------------------------------------------------- tools


def cache_root() -> Path:
    """``$CONSENT_HARNESS_CACHE`` or ``$XDG_CACHE_HOME/consent-harness`` or ``~/.cache/…``."""
    env = os.environ.get("CONSENT_HARNESS_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "consent-harness"


def _tool(name: str, missing: str) -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        cand = Path(java_home) / "bin" / name
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    found = shutil.which(name)
    if not found:
        raise SimulatorError(missing)
    return found


def javac() -> str:
    """Path of ``javac``; raises :class:`SimulatorError` naming what to install."""
    return _tool("javac", JAVAC_MISSING)


def java() -> str:
    """Path of ``java``; raises :class:`SimulatorError` naming what to install."""
    return _tool("java", JAVA_MISSING)


# --------------------------------------------------------------------------- build + cache


def _digest(parts: Iterable[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def runtime_key(surface: Path | None = None) -> str:
    """Content key of the runtime build: every Java source, the surface, the generator."""
    path = surface or SURFACE_PATH
    parts = [(rel, p.read_bytes()) for rel, p in java_sources().items()]
    parts.append(("surface.json", path.read_bytes() if path.is_file() else b""))
    parts.append(("generator", GENERATOR_VERSION.encode()))
    parts.append(("runtime.py", Path(__file__).read_bytes()))
    for module in ("stubgen.py", "javascan.py"):  # the generator
        parts.append((module, (Path(__file__).parent / module).read_bytes()))
    return _digest(parts)


def _run_javac(src: Path, classes: Path, classpath: str | None = None) -> None:
    files = sorted(str(p) for p in src.rglob("*.java"))
    argfile = src / "sources.txt"
    argfile.write_text("\n".join(f'"{f}"' for f in files), encoding="utf-8")
    cmd = [
        javac(),
        "-encoding",
        "UTF-8",
        "-nowarn",
        "-Xlint:none",
        "-implicit:none",
        "-d",
        str(classes),
    ]
    if classpath:
        cmd += ["-cp", classpath]
    cmd.append(f"@{argfile}")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except OSError as exc:
        raise SimulatorError(f"cannot run javac: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise SimulatorError("javac took longer than 10 minutes") from exc
    if proc.returncode != 0:
        raise SimulatorError(f"javac failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


def _publish(tmp: Path, final: Path) -> None:
    """Atomic rename into the cache; a concurrent builder that got there first wins."""
    try:
        os.rename(tmp, final)
    except OSError:
        if not final.is_dir():
            raise
        shutil.rmtree(tmp, ignore_errors=True)


_runtime_cache: dict[str, Path] = {}


def runtime_classes(surface: Path | None = None) -> Path:
    """The compiled runtime (stubs, consent SDK, SDKs), built on first use; its classes folder."""
    key = runtime_key(surface)
    hit = _runtime_cache.get(key)
    if hit is not None and hit.is_dir():
        return hit
    root = cache_root() / "sim-java"
    final = root / key
    classes = final / "classes"
    if not (classes / "android" / "app" / "ActivityThread.class").is_file():
        javac()  # fail early and clearly without a JDK
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
        try:
            data = load_surface(surface)
            plan = generate_sources(stub_entries(data), tmp / "src", classes=stub_classes(data))
            (tmp / "classes").mkdir()
            _run_javac(tmp / "src", tmp / "classes")
            # The surface travels with the classes: Sensitive reads guards and values from it.
            res = tmp / "classes" / "android" / "sim" / "surface.tsv"
            res.write_text(surface_table(data), encoding="utf-8")
            _split_boot(tmp / "classes", tmp / "boot", tmp / "shipped")
            (tmp / "plan.json").write_text(
                json.dumps(
                    {
                        "generated": [
                            f"{m.cls}.{m.method}({','.join(m.params)})" for m in plan.methods
                        ],
                        "hand_written": [
                            f"{m.cls}.{m.method}({','.join(m.params)})" for m in plan.existing
                        ],
                        "skipped": plan.skipped,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
            _publish(tmp, final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    _runtime_cache[key] = classes
    return classes


def _split_boot(classes: Path, boot: Path, shipped: Path) -> None:
    """Hard-links (copies where links fail) every file of ``classes`` into ``boot`` (the
    :data:`BOOT_TREES`) or ``shipped`` (the rest); ``classes`` keeps everything (javac's
    class path for the apps, SurfaceCheck)."""
    for f in sorted(classes.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(classes)
        is_boot = any(rel.as_posix().startswith(t + "/") for t in BOOT_TREES)
        dst = (boot if is_boot else shipped) / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(f, dst)
        except OSError:
            shutil.copy2(f, dst)
    shipped.mkdir(exist_ok=True)


def runtime_split(surface: Path | None = None) -> tuple[Path, Path]:
    """(boot, shipped): the runtime's framework classes (the JVM's class path) and the
    classes an app ships (its PathClassLoader's path, before the app's own)."""
    root = runtime_classes(surface).parent
    return root / "boot", root / "shipped"


def build_plan(surface: Path | None = None) -> dict[str, Any]:
    """What the last runtime build generated / found hand-written / skipped (for tests, docs)."""
    classes = runtime_classes(surface)
    data: dict[str, Any] = json.loads((classes.parent / "plan.json").read_text(encoding="utf-8"))
    return data


def app_classes(app_dir: Path) -> Path:
    """Compiles an installed sim package's generated sources (``src/``) against the runtime."""
    rt = runtime_classes()
    src = app_dir / "src"
    if not src.is_dir():
        raise SimulatorError(f"{app_dir}: not a sim package (no src/ folder)")
    parts = [(p.relative_to(src).as_posix(), p.read_bytes()) for p in sorted(src.rglob("*.java"))]
    parts.append(("runtime", rt.parent.name.encode()))
    key = _digest(parts)
    root = cache_root() / "sim-apps"
    final = root / key
    classes = final / "classes"
    if not classes.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
        try:
            shutil.copytree(src, tmp / "src")
            (tmp / "classes").mkdir()
            _run_javac(tmp / "src", tmp / "classes", classpath=str(rt))
            _publish(tmp, final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return classes


def plugin_classes(app_dir: Path) -> dict[str, Path]:
    """Code an app brings to load itself later (a plug-in SDK, what a packer unpacks):
    ``plugins/<name>/`` sources of a sim package, each compiled against the runtime and the
    app into its own folder, on no class path — the app loads it through a DexClassLoader
    over the path ActivityThread publishes as the system property ``sim.plugin.<name>``."""
    root_src = app_dir / "plugins"
    if not root_src.is_dir():
        return {}
    app = app_classes(app_dir)
    out: dict[str, Path] = {}
    for src in sorted(p for p in root_src.iterdir() if p.is_dir()):
        parts = [(p.relative_to(src).as_posix(), p.read_bytes())
                 for p in sorted(src.rglob("*.java"))]
        parts.append(("app", app.parent.name.encode()))
        final = cache_root() / "sim-plugins" / _digest(parts)
        classes = final / "classes"
        if not classes.is_dir():
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=final.parent))
            try:
                shutil.copytree(src, tmp / "src")
                (tmp / "classes").mkdir()
                cp = os.pathsep.join([str(runtime_classes()), str(app)])
                _run_javac(tmp / "src", tmp / "classes", classpath=cp)
                _publish(tmp, final)
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
        out[src.name] = classes
    return out


def read_manifest(app_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((app_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SimulatorError(f"{app_dir}: unreadable manifest.json: {exc}") from exc
    if not isinstance(data, dict):
        raise SimulatorError(f"{app_dir}/manifest.json: expected an object")
    return data


def launch_argv(app_dir: Path, activity: str | None) -> list[str]:
    """The ``java …`` command line of an installed app (launch contract, docs/internals.md).

    ``activity`` is the component's class (``com.example.news.MainActivity`` or
    ``.MainActivity``); ``None`` starts the manifest's ``main_activity``.
    """
    app_dir = Path(app_dir)
    manifest = read_manifest(app_dir)
    pkg = str(manifest.get("package", ""))
    act = activity or manifest.get("main_activity")
    if isinstance(act, str) and act.startswith("."):
        act = pkg + act
    runtime = read_runtime_info(app_dir)
    boot, shipped = runtime_split()
    # The app's classes and the SDKs it ships are not on -cp: ActivityThread loads them
    # through the app's PathClassLoader over --app-path, when the app binds.
    app_path = os.pathsep.join([str(shipped), str(app_classes(app_dir))])
    argv = [java(), *JVM_FLAGS, "-cp", str(boot), MAIN_CLASS, "--app-path", app_path]
    for name, path in plugin_classes(app_dir).items():
        argv += ["--plugin", f"{name}={path}"]
    if runtime.get("application"):
        argv += ["--application", str(runtime["application"])]
    if act:
        argv += ["--activity", str(act)]
    return argv


def read_runtime_info(app_dir: Path) -> dict[str, Any]:
    """``sim.json`` of a sim package: what the runtime needs beyond manifest.json."""
    p = app_dir / "sim.json"
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SimulatorError(f"{p}: unreadable: {exc}") from exc
    return data if isinstance(data, dict) else {}
