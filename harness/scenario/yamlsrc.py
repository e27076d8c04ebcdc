"""Read YAML into plain Python data plus a map of where every key and item stands.

Paths are tuples of keys and list indexes (``("steps", 2, "tap", "text")``); lines are
1-based. A scenario file is user input and may be hostile: tags, recursive aliases,
alias bombs and deep nesting are refused with the line where they start.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from harness.errors import ScenarioError

YamlPath = tuple["str | int", ...]

MAX_DEPTH = 64
MAX_NODES = 100_000


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


def read_documents(path: Path) -> Iterator[Document]:
    """Every non-empty document of a YAML file, in order."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"not UTF-8 text: {exc.reason}", path=str(path)) from exc
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    index = 0
    try:
        for raw in yaml.load_all(text):
            if raw is None:
                continue
            yield _document(path, index, raw)
            index += 1
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ScenarioError(f"invalid YAML: {problem or exc}", path=str(path), line=line) from exc
    except YAMLError as exc:
        raise ScenarioError(f"invalid YAML: {exc}", path=str(path)) from exc


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
