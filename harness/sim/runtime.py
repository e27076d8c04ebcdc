"""The app runtime of the simulated device: Java stubs, their build cache, the launch contract.

Apps of the simulated device are JVM processes. ``harness/sim/java/`` holds hand-written
Java sources (Android stubs, the app runtime, the consent SDK, the fictional third-party
SDKs). The stub *signatures* of the sensitive-API catalog come from the catalog itself
(``harness/hooks/catalog.json``, DESIGN §4.1: "the simulator's stubs must follow the
catalog"): every catalog overload that no hand-written source declares is generated here,
with a body that delegates to ``android.sim.Sensitive.call`` (permission check + behaviour).

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
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import SimulatorError

JAVA_ROOT = Path(__file__).resolve().parent / "java"
CATALOG_PATH = Path(__file__).resolve().parent.parent / "hooks" / "catalog.json"

#: Bump when the generator's output changes for the same inputs.
GENERATOR_VERSION = "1"

#: Main class of every app process (Android's name for it).
MAIN_CLASS = "android.app.ActivityThread"

#: Flags for a fast, small JVM: C1 only, serial GC, the JDK's CDS archive, no perf-data file.
#: Only the JDK's own CDS archive is used: hook targets must not come from an archive (Frida
#: does not see overrides of CDS-archived methods), and everything stays on -cp, with no
#: custom class loader (Frida's Java.use needs the system class path).
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

#: Packages the simulator may define stubs in. Anything else in the catalog (java.*, a
#: vendor's SDK class) is not generated: java.* exists in the JDK already, and the sim ships
#: no imitation of a real vendor's code.
GENERATED_PREFIXES = ("android.", "androidx.", "com.android.", "dalvik.")

JAVAC_MISSING = "javac not found: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"
JAVA_MISSING = "java not found: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"

_PRIMITIVES = {"boolean", "byte", "char", "short", "int", "long", "float", "double", "void"}
_BOXES = {
    "boolean": "Boolean",
    "byte": "Byte",
    "char": "Character",
    "short": "Short",
    "int": "Integer",
    "long": "Long",
    "float": "Float",
    "double": "Double",
}


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


# --------------------------------------------------------------------------- catalog


@dataclass(frozen=True)
class StubMethod:
    """One catalog overload as a Java member of a stub class."""

    cls: str  # binary name, nested classes with '$'
    method: str  # '$init' for constructors
    params: tuple[str, ...]
    returns: str  # 'void' when the catalog gives none
    static: bool
    entry_id: str


@dataclass
class StubPlan:
    """What the generator does with the catalog: generated members and skipped entries."""

    methods: list[StubMethod] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry id, reason)
    existing: list[StubMethod] = field(default_factory=list)  # declared by hand-written code


def load_catalog_entries(path: Path | None = None) -> list[dict[str, Any]]:
    """The raw catalog entries (an absent catalog means no catalog stubs yet)."""
    p = path or CATALOG_PATH
    if not p.is_file():
        return []
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SimulatorError(f"{p}: unreadable catalog: {exc}") from exc
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SimulatorError(f"{p}: entries: expected a list of catalog entries")
    return [e for e in entries if isinstance(e, dict)]


def _sim_type(t: str) -> bool:
    """Can this type exist on the sim's class path (primitive, JDK, or a generatable stub)?"""
    base = t.replace("[]", "").strip()
    return base in _PRIMITIVES or base.startswith(("java.", "javax.", *GENERATED_PREFIXES))


def _simple_type(t: str) -> str:
    """'android.provider.Settings$Secure[]' -> 'Secure[]' (the collision key)."""
    dims = t.count("[]")
    base = t.replace("[]", "").strip()
    base = re.split(r"[.$]", base)[-1]
    return base + "[]" * dims


# --------------------------------------------------------------------------- Java scanning


@dataclass
class _Decl:
    cls: str  # binary name
    name: str
    params: tuple[str, ...]  # simple type names


@dataclass
class _JavaFile:
    path: Path
    text: str
    classes: set[str]
    decls: list[_Decl]
    markers: dict[str, int]  # binary class name -> offset of its '// @catalog-methods' line
    ends: dict[str, int]  # binary class name -> offset of the line holding its closing brace


_MARKER = re.compile(r"^[ \t]*// @catalog-methods(?:[ \t]+([\w.$]+))?[ \t]*$", re.M)


def _blank_literals(src: str) -> str:
    """Comments and string/char literals replaced by spaces (offsets kept)."""
    out = list(src)
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out[i:j] = [ch if ch == "\n" else " " for ch in src[i:j]]
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            j = min(n, j + 1)
            out[i:j] = " " * (j - i)
            i = j
        else:
            i += 1
    return "".join(out)


def _split_params(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    depth, cur = 0, ""
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    types = []
    for p in parts:
        p = re.sub(r"@\w+", "", p)
        p = re.sub(r"<[^<>]*(<[^<>]*>[^<>]*)*>", "", p)
        p = p.replace("final ", "").replace("...", "[]").strip()
        toks = p.split()
        if len(toks) < 2:
            continue
        types.append(_simple_type("".join(toks[:-1])))
    return tuple(types)


_HEADER = re.compile(
    r"(?:^|\s)(?:[\w.$<>\[\], ?]+\s+)?(\w+)\s*\(([^()]*)\)\s*(?:throws\s+[\w.$,\s]+)?$", re.S
)
_CLASS = re.compile(r"\b(class|interface|enum)\s+(\w+)")


def _scan(path: Path, rel: str) -> _JavaFile:
    text = path.read_text(encoding="utf-8")
    clean = _blank_literals(text)
    pkg_m = re.search(r"^\s*package\s+([\w.]+)\s*;", clean, re.M)
    pkg = pkg_m.group(1) if pkg_m else ""
    stack: list[tuple[str, int]] = []  # (binary name, depth of its body)
    depth = 0
    last = 0  # start of the current member header
    pending: str | None = None
    classes: set[str] = set()
    ends: dict[str, int] = {}
    decls: list[_Decl] = []
    for i, ch in enumerate(clean):
        if ch == "{":
            header = clean[last:i]
            cm = _CLASS.search(header)
            in_body = bool(stack) and depth == stack[-1][1]
            if cm and "(" not in header.split(cm.group(0))[0] and "=" not in header:
                outer = stack[-1][0] + "$" if stack else (pkg + "." if pkg else "")
                pending = outer + cm.group(2)
            elif in_body and "=" not in header:
                hm = _HEADER.search(header.strip())
                if hm and not re.search(r"\b(new|return|if|for|while|switch|catch)\b", header):
                    name = hm.group(1)
                    simple = stack[-1][0].split("$")[-1].split(".")[-1]
                    decls.append(
                        _Decl(
                            stack[-1][0],
                            "$init" if name == simple else name,
                            _split_params(hm.group(2)),
                        )
                    )
            depth += 1
            if pending is not None:
                stack.append((pending, depth))
                classes.add(pending)
                pending = None
            last = i + 1
        elif ch == "}":
            if stack and stack[-1][1] == depth:
                ends[stack[-1][0]] = clean.rfind("\n", 0, i) + 1
                stack.pop()
            depth -= 1
            last = i + 1
        elif ch == ";":
            header = clean[last:i]
            if stack and depth == stack[-1][1] and "=" not in header:
                hm = _HEADER.search(header.strip())
                if hm:
                    decls.append(_Decl(stack[-1][0], hm.group(1), _split_params(hm.group(2))))
            last = i + 1
    markers: dict[str, int] = {}
    top = rel[:-5].replace("/", ".")
    for m in _MARKER.finditer(text):
        markers[m.group(1) or top] = m.start()
    return _JavaFile(path, text, classes, decls, markers, ends)


def java_sources(root: Path = JAVA_ROOT) -> dict[str, Path]:
    """Hand-written sources by path relative to ``root`` ('android/app/Activity.java')."""
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.java"))}


# --------------------------------------------------------------------------- generator


def _jtype(t: str) -> str:
    """Catalog spelling (Frida's) -> Java source spelling."""
    return t.replace("$", ".")


def _member(m: StubMethod) -> str:
    simple = m.cls.split("$")[-1].split(".")[-1]
    params = ", ".join(f"{_jtype(t)} a{i}" for i, t in enumerate(m.params))
    args = ", ".join(f"a{i}" for i in range(len(m.params)))
    api = json.dumps(f"{m.cls}.{m.method}")
    doc = f"    /** Generated from catalog entry {m.entry_id}. */\n"
    if m.method == "$init":
        return (
            f"{doc}    public {simple}({params}) {{\n"
            f"        android.sim.Sensitive.call({api}, void.class, this, "
            f"new Object[] {{{args}}});\n"
            "    }\n"
        )
    ret = _jtype(m.returns)
    self_ = "null" if m.static else "this"
    call = f"android.sim.Sensitive.call({api}, {ret}.class, {self_}, new Object[] {{{args}}})"
    if ret == "void":
        body = f"{call};"
    elif ret in _BOXES:
        body = f"return ({_BOXES[ret]}) {call};"
    else:
        body = f"return ({ret}) {call};"
    static = "static " if m.static else ""
    return f"{doc}    public {static}{ret} {m.method}({params}) {{\n        {body}\n    }}\n"


def _indent(block: str, levels: int) -> str:
    pad = "    " * levels
    return "".join(pad + line if line.strip() else line for line in block.splitlines(True))


def _class_block(
    binary: str, members: list[StubMethod], nested: dict[str, list[StubMethod]], top: bool
) -> str:
    simple = binary.split("$")[-1].split(".")[-1]
    mods = "public class" if top else "public static class"
    body = (
        [f"    public {simple}() {{}}\n"]
        if not any(m.method == "$init" and not m.params for m in members)
        else []
    )
    body += [_member(m) for m in members]
    for child in sorted(k for k in nested if k.rsplit("$", 1)[0] == binary):
        body.append(_indent(_class_block(child, nested[child], nested, False), 1))
    return f"{mods} {simple} {{\n" + "\n".join(body) + "}\n"


def plan_stubs(entries: Iterable[dict[str, Any]], root: Path = JAVA_ROOT) -> StubPlan:
    """Which catalog overloads to generate, which exist by hand, which are skipped (and why)."""
    files = {rel: _scan(p, rel) for rel, p in java_sources(root).items()}
    declared: set[tuple[str, str, tuple[str, ...]]] = set()
    names: set[tuple[str, str]] = set()
    for f in files.values():
        for d in f.decls:
            declared.add((d.cls, d.name, d.params))
            names.add((d.cls, d.name))
    plan = StubPlan()
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for e in entries:
        eid = str(e.get("id", "?"))
        cls, method = e.get("class"), e.get("method")
        if not isinstance(cls, str) or not isinstance(method, str):
            plan.skipped.append((eid, "entry has no class/method"))
            continue
        if not cls.startswith(GENERATED_PREFIXES):
            why = (
                "the JDK provides it"
                if cls.startswith(("java.", "javax."))
                else "not an Android framework class: the sim ships no vendor code"
            )
            plan.skipped.append((eid, why))
            continue
        overloads = e.get("overloads")
        if overloads is None:
            if (cls, method) not in names:
                plan.skipped.append(
                    (
                        eid,
                        "overloads: null (every overload) and no hand-written "
                        f"{cls}.{method} to stand for them",
                    )
                )
            continue
        returns = e.get("returns") or "void"
        foreign = sorted(
            {str(t) for ov in overloads for t in [*ov, returns] if not _sim_type(str(t))}
        )
        if foreign:
            plan.skipped.append(
                (eid, "its signature uses classes the sim cannot define: " + ", ".join(foreign))
            )
            continue
        for ov in overloads:
            params = tuple(str(t) for t in ov)
            key = (cls, method, params)
            sm = StubMethod(cls, method, params, str(returns), bool(e.get("static")), eid)
            if key in seen:
                continue
            seen.add(key)
            if (cls, method, tuple(_simple_type(t) for t in params)) in declared:
                plan.existing.append(sm)
            else:
                plan.methods.append(sm)
    return plan


def generate_sources(entries: list[dict[str, Any]], out: Path, root: Path = JAVA_ROOT) -> StubPlan:
    """Writes the full source tree (hand-written + catalog members) into ``out``."""
    plan = plan_stubs(entries, root)
    sources = java_sources(root)
    files = {rel: _scan(p, rel) for rel, p in sources.items()}
    known_classes: set[str] = set()
    for f in files.values():
        known_classes |= f.classes
    by_class: dict[str, list[StubMethod]] = {}
    for m in plan.methods:
        by_class.setdefault(m.cls, []).append(m)
    # Types the catalog's generated signatures mention that no source defines get an empty
    # class, so that the signatures compile.
    for m in plan.methods:
        for t in [*m.params, m.returns]:
            base = t.replace("[]", "")
            if base.startswith(GENERATED_PREFIXES) and base not in known_classes:
                by_class.setdefault(base, [])
    # Every enclosing class of a nested one must exist too.
    for cls in list(by_class):
        while "$" in cls:
            cls = cls.rsplit("$", 1)[0]
            if cls not in known_classes:
                by_class.setdefault(cls, [])
    inserts: dict[str, list[tuple[int, str]]] = {}
    new_files: dict[str, dict[str, list[StubMethod]]] = {}
    emitted: set[str] = set()
    for cls in sorted(by_class):  # parents sort before their nested classes
        if cls in emitted:
            continue
        top = cls.split("$")[0]
        rel = top.replace(".", "/") + ".java"
        jf = files.get(rel)
        if jf is None:
            new_files.setdefault(rel, {})[cls] = by_class[cls]
            emitted.add(cls)
            continue
        if cls in jf.classes:
            # Members go at the class's marker, else just before its closing brace.
            at = jf.markers.get(cls, jf.ends.get(cls, 0))
            block = _indent("".join(_member(m) + "\n" for m in by_class[cls]), cls.count("$"))
            inserts.setdefault(rel, []).append((at, block))
            emitted.add(cls)
            continue
        # A nested class the hand-written file lacks: add it inside its nearest enclosing class.
        parent = cls.rsplit("$", 1)[0] if "$" in cls else None
        if parent is None or parent not in jf.classes:
            for m in by_class[cls]:
                plan.methods.remove(m)
                plan.skipped.append((m.entry_id, f"{rel} does not declare {parent or top}"))
            emitted.add(cls)
            continue
        nested = {k: v for k, v in by_class.items() if k.startswith(cls + "$")}
        emitted.update(nested)
        emitted.add(cls)
        at = jf.markers.get(parent, jf.ends[parent])
        inserts.setdefault(rel, []).append(
            (
                at,
                _indent(_class_block(cls, by_class[cls], nested, False), parent.count("$") + 1)
                + "\n",
            )
        )
    for rel in sources:
        text = files[rel].text
        for off, block in sorted(inserts.get(rel, []), key=lambda x: x[0], reverse=True):
            text = text[:off] + block + text[off:]
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    for rel, classes in new_files.items():
        top = rel[:-5].replace("/", ".")
        pkg = top.rsplit(".", 1)[0]
        nested = {k: v for k, v in classes.items() if k != top}
        text = (
            f"package {pkg};\n\n/** Generated from the sensitive-API catalog. */\n"
            + _class_block(top, classes.get(top, []), nested, True)
        )
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    return plan


# --------------------------------------------------------------------------- build + cache


def _digest(parts: Iterable[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def runtime_key(catalog: Path | None = None) -> str:
    """Content key of the runtime build: every Java source, the catalog, the generator."""
    cat = catalog or CATALOG_PATH
    parts = [(rel, p.read_bytes()) for rel, p in java_sources().items()]
    parts.append(("catalog.json", cat.read_bytes() if cat.is_file() else b""))
    parts.append(("generator", GENERATOR_VERSION.encode()))
    parts.append(("runtime.py", Path(__file__).read_bytes()))  # the generator itself
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


def runtime_classes(catalog: Path | None = None) -> Path:
    """The compiled runtime (stubs, consent SDK, SDKs), built on first use; its classes folder."""
    key = runtime_key(catalog)
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
            entries = load_catalog_entries(catalog)
            plan = generate_sources(entries, tmp / "src")
            (tmp / "classes").mkdir()
            _run_javac(tmp / "src", tmp / "classes")
            # The catalog travels with the classes: Sensitive reads permissions and matchers.
            res = tmp / "classes" / "android" / "sim" / "catalog.json"
            res.write_text(json.dumps({"entries": entries}, ensure_ascii=False), encoding="utf-8")
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


def build_plan(catalog: Path | None = None) -> dict[str, Any]:
    """What the last runtime build generated / found hand-written / skipped (for tests, docs)."""
    classes = runtime_classes(catalog)
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
    cp = os.pathsep.join([str(runtime_classes()), str(app_classes(app_dir))])
    argv = [java(), *JVM_FLAGS, "-cp", cp, MAIN_CLASS]
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
