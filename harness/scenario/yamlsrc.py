"""Read YAML into plain Python data plus a map of where every key and item stands.

Paths are tuples of keys and list indexes (``("steps", 2, "tap", "text")``); lines are
1-based. A scenario file is user input and may be hostile: tags, recursive aliases,
alias bombs and deep nesting are refused with the line where they start.

Limits are checked *before* the document is built, not after: the file size before it
is read, and nesting depth, node count and scalar length on the parser's event stream
(an iterative state machine), because ruamel's composer recurses once per nesting level
and a file nested a few hundred levels deep would otherwise end in a RecursionError.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    ScalarEvent,
)

from harness.errors import ScenarioError

YamlPath = tuple["str | int", ...]

MAX_DEPTH = 64
#: A scenario is a few hundred nodes; a big suite file a few thousand.
MAX_NODES = 20_000
#: A scenario is a page of text; anything near this is not a scenario.
MAX_FILE_BYTES = 1 << 20
#: Longest scalar (a name, a regex, a text to tap). Also keeps integers below Python's
#: 4300-digit conversion limit.
MAX_SCALAR_CHARS = 4096
#: Contexts whose *start* is the cause (an unclosed bracket or quote, a key without
#: ':'): the parser only notices later, often at the end of the file. Value: what to say.
_CAUSE_AT_CONTEXT = {
    "while parsing a flow sequence": "the list opened here by '[' is never closed",
    "while parsing a flow mapping": "the mapping opened here by '{' is never closed",
    "while scanning a quoted scalar": "the quoted text opened here is never closed",
    "while scanning a simple key": "this line has no ':' after its key",
}


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Document:
    """One YAML document of a file, as plain data, with line marks."""

    file: Path
    index: int
    line: int
    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)

    def line_of(self, path: YamlPath) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return self.line


def error_at(doc: Document, path: YamlPath, text: str) -> ScenarioError:
    """A ScenarioError at the file, line and field of ``path`` in ``doc``."""
    return ScenarioError(text, path=str(doc.file), line=doc.line_of(path), field=field_name(path))


def field_name(path: YamlPath) -> str | None:
    """``("steps", 2, "tap", "text")`` → ``steps[2].tap.text``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _IDENT.match(part):
            out += f"[{part!r}]"
        else:
            out += ("." if out else "") + str(part)
    return out or None


def read_documents(path: Path) -> Iterator[Document]:
    """Every non-empty document of a YAML file, in order."""
    text = _read_text(path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    _check_limits(yaml, text, path)
    index = 0
    try:
        for raw in yaml.load_all(text):
            if raw is None:
                continue
            yield _document(path, index, raw)
            index += 1
    except YAMLError as exc:
        raise _yaml_error(exc, path, text) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # ruamel's constructors on odd but well-formed input (a bad timestamp, a
        # huge exponent…): still bad input in this file, not a crash.
        raise ScenarioError(f"invalid YAML value: {exc}", path=str(path)) from exc


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"file larger than {MAX_FILE_BYTES // 1024} KiB: not a scenario file",
            path=str(path),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"not UTF-8 text: {exc.reason}", path=str(path), line=line) from exc
    return text.removeprefix("\ufeff")


def _check_limits(yaml: YAML, text: str, path: Path) -> None:
    """Walk the parser's events (no tree is built) and refuse what is too big, and
    mapping keys that are not scalars (ruamel cannot build those, and says not where)."""
    nodes = 0
    # Open collections: True = a mapping expecting a key next, False = expecting a value,
    # None = a sequence.
    open_: list[bool | None] = []
    try:
        for event in yaml.parse(text):
            if isinstance(event, CollectionEndEvent):
                open_.pop()
                continue
            if not isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)):
                continue
            nodes += 1
            if nodes > MAX_NODES:
                raise _at(path, event, f"too many YAML nodes (more than {MAX_NODES})")
            if open_ and open_[-1] is not None:
                if open_[-1] and not isinstance(event, ScalarEvent):
                    raise _at(path, event, "mapping keys must be plain words or numbers")
                open_[-1] = not open_[-1]
            if isinstance(event, CollectionStartEvent):
                if len(open_) >= MAX_DEPTH:
                    raise _at(path, event, f"nested deeper than {MAX_DEPTH} levels")
                open_.append(True if isinstance(event, MappingStartEvent) else None)
            elif isinstance(event, ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
                raise _at(
                    path,
                    event,
                    f"a value of {len(event.value)} characters (at most {MAX_SCALAR_CHARS})",
                )
    except YAMLError as exc:
        raise _yaml_error(exc, path, text) from exc


def _at(path: Path, event: Any, message: str) -> ScenarioError:
    mark = getattr(event, "start_mark", None)
    line = mark.line + 1 if mark is not None else None
    return ScenarioError(message, path=str(path), line=line)


def _yaml_error(exc: YAMLError, path: Path, text: str) -> ScenarioError:
    """A ScenarioError at the line of the cause (where an unclosed bracket opened)."""
    if not isinstance(exc, MarkedYAMLError):
        # ReaderError (a control character): a character offset, not a mark.
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        reason = getattr(exc, "reason", None)
        char = getattr(exc, "character", None)
        what = f"{reason} (character {char!r})" if reason and char is not None else str(exc)
        return ScenarioError(f"invalid YAML: {what}", path=str(path), line=line)
    context = str(exc.context) if exc.context else ""
    problem = str(exc.problem) if exc.problem else ""
    cmark, pmark = exc.context_mark, exc.problem_mark
    cause = _CAUSE_AT_CONTEXT.get(context)
    if cause is None and context.startswith("while scanning"):
        cause = context.removeprefix("while ") + " started here"
    if cmark is not None and cause is not None:
        said = f"invalid YAML: {cause}"
        if problem:
            where = f" at line {pmark.line + 1}" if pmark is not None else ""
            said += f" (the parser {problem}{where})"
        return ScenarioError(said, path=str(path), line=cmark.line + 1)
    mark = pmark or cmark
    line = mark.line + 1 if mark is not None else None
    said = " ".join(p for p in (context, problem) if p) or str(exc)
    return ScenarioError(f"invalid YAML: {said}", path=str(path), line=line)


def _document(path: Path, index: int, raw: Any) -> Document:
    line = raw.lc.line + 1 if isinstance(raw, (CommentedMap, CommentedSeq)) else 1
    doc = Document(file=path, index=index, line=line, data=None)
    doc.data = _Converter(doc).plain(raw, (), 0, line)
    return doc


class _Converter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0

    def fail(self, message: str, line: int) -> ScenarioError:
        return ScenarioError(message, path=str(self.doc.file), line=line)

    def plain(self, node: Any, path: YamlPath, depth: int, line: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"too many YAML nodes (more than {MAX_NODES}; an alias bomb?)", line)
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels (a recursive alias?)", line)
        if isinstance(node, CommentedMap):
            out: dict[str, Any] = {}
            for key, value in node.items():
                key_line = node.lc.key(key)[0] + 1
                name = self.key(key, key_line)
                self.doc.lines[path + (name,)] = key_line
                out[name] = self.plain(value, path + (name,), depth + 1, key_line)
            return out
        if isinstance(node, CommentedSeq):
            items: list[Any] = []
            for i, value in enumerate(node):
                item_line = node.lc.item(i)[0] + 1
                self.doc.lines[path + (i,)] = item_line
                items.append(self.plain(value, path + (i,), depth + 1, item_line))
            return items
        return self.scalar(node, line)

    def key(self, key: Any, line: int) -> str:
        if isinstance(key, bool):
            return str(key).lower()
        if isinstance(key, (str, int, float)):
            return str(key)
        if key is None:
            return "null"
        raise self.fail("mapping keys must be plain words or numbers", line)

    def scalar(self, node: Any, line: int) -> Any:
        if isinstance(node, TaggedScalar):
            raise self.fail(f"YAML tag {node.tag} is not supported", line)
        if node is None or isinstance(node, bool):
            return node
        if isinstance(node, int):  # ScalarInt, and ScalarBoolean (an int subclass)
            if type(node).__name__ == "ScalarBoolean":
                return bool(node)
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
        if isinstance(node, (datetime.date, datetime.datetime)):
            return node.isoformat()
        raise self.fail(f"unsupported YAML value of type {type(node).__name__}", line)
