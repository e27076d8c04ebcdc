"""Reading the simulator's hand-written Java sources (``harness/sim/java/``): which classes
each file defines, which members they declare (by simple parameter types) and where
generated members may go (``// @surface-methods`` markers, else before a class's closing
brace). A lexical scan — comments and literals blanked, braces counted — enough for the
project's own sources; used by :mod:`harness.sim.stubgen`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

JAVA_ROOT = Path(__file__).resolve().parent / "java"


def simple_type(t: str) -> str:
    """'android.provider.Settings$Secure[]' -> 'Secure[]' (the collision key)."""
    dims = t.count("[]")
    base = t.replace("[]", "").strip()
    base = re.split(r"[.$]", base)[-1]
    return base + "[]" * dims


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
    markers: dict[str, int]  # binary class name -> offset of its '// @surface-methods' line
    ends: dict[str, int]  # binary class name -> offset of the line holding its closing brace


_MARKER = re.compile(r"^[ \t]*// @surface-methods(?:[ \t]+([\w.$]+))?[ \t]*$", re.M)


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
        types.append(simple_type("".join(toks[:-1])))
    return tuple(types)


_HEADER = re.compile(
    r"(?:^|\s)(?:[\w.$<>\[\], ?]+\s+)?(\w+)\s*\(([^()]*)\)\s*(?:throws\s+[\w.$,\s]+)?$", re.S
)
_CLASS = re.compile(r"\b(class|interface|enum)\s+(\w+)")


def scan_java(path: Path, rel: str) -> _JavaFile:
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
