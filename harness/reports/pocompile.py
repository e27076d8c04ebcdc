"""A small ``msgfmt``: read a gettext ``.po`` catalog and build its ``.mo`` bytes.

The stdlib has :mod:`gettext` to *read* ``.mo`` files but nothing to make them (CPython's
``Tools/i18n/msgfmt.py`` is not installed), and a build-time dependency on GNU gettext or
Babel for ~200 messages is not worth it. Supported: ``msgctxt``, ``msgid``,
``msgid_plural``, ``msgstr``/``msgstr[N]``, multi-line strings, the C escapes gettext
uses, comments. ``#, fuzzy`` entries are left out, as msgfmt does.

Regenerate the shipped ``.mo`` files after editing a ``.po``::

    python -m harness.reports.pocompile

(``tests/reports/test_report_i18n.py`` fails while a shipped ``.mo`` is stale.)
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import InputError

_MAGIC = 0x950412DE


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        key = self.msgid if self.msgid_plural is None else f"{self.msgid}\0{self.msgid_plural}"
        return key if self.msgctxt is None else f"{self.msgctxt}\x04{key}"

    @property
    def value(self) -> str:
        return "\0".join(self.msgstr[i] for i in sorted(self.msgstr))


def _unquote(text: str, path: Path, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise InputError(f"expected a quoted string, got {text[:40]!r}", path=str(path), line=line)
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"bad string literal: {exc}", path=str(path), line=line) from exc
    if not isinstance(value, str):
        raise InputError("expected a string", path=str(path), line=line)
    return value


def parse_po(text: str, path: Path = Path("<po>")) -> list[PoEntry]:
    """The entries of a ``.po`` file; errors name the file and line."""
    entries: list[PoEntry] = []
    current = PoEntry()
    section: tuple[str, int] | None = None  # ("msgid"|"msgctxt"|"msgid_plural"|"msgstr", n)
    started = False

    def finish() -> None:
        nonlocal current, started, section
        if started:
            if not current.msgstr:
                raise InputError("entry without msgstr", path=str(path), line=current.line)
            entries.append(current)
        current, started, section = PoEntry(), False, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if section is not None and section[0] == "msgstr":
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                current.fuzzy = True
            continue
        if line.startswith('"'):
            if section is None:
                raise InputError("a string outside any entry", path=str(path), line=number)
            value = _unquote(line, path, number)
            name, index = section
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and section is not None and section[0] == "msgstr":
            fuzzy = current.fuzzy
            finish()
            current.fuzzy = fuzzy
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            if not started:
                current.line, started = number, True
            setattr(current, keyword, _unquote(rest, path, number))
            section = (keyword, 0)
        elif keyword.startswith("msgstr"):
            index = 0
            if keyword != "msgstr":
                inner = keyword[len("msgstr") :]
                if not (inner.startswith("[") and inner.endswith("]") and inner[1:-1].isdigit()):
                    raise InputError(f"bad keyword {keyword!r}", path=str(path), line=number)
                index = int(inner[1:-1])
            current.msgstr[index] = _unquote(rest, path, number)
            section = ("msgstr", index)
        else:
            raise InputError(f"unknown keyword {keyword!r}", path=str(path), line=number)
    finish()
    return entries


def compile_po(text: str, path: Path = Path("<po>")) -> bytes:
    """The ``.mo`` bytes of a ``.po`` text (GNU format, little-endian, no hash table)."""
    pairs: dict[bytes, bytes] = {}
    for entry in parse_po(text, path):
        if entry.fuzzy and entry.msgid:
            continue
        if entry.msgid and not any(entry.msgstr.values()):
            continue  # untranslated: gettext falls back to the msgid
        pairs[entry.key.encode("utf-8")] = entry.value.encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    header = 7 * 4
    orig_table = header
    trans_table = orig_table + count * 8
    data_start = trans_table + count * 8
    originals = b""
    translations = b""
    orig_index: list[tuple[int, int]] = []
    for key in keys:
        orig_index.append((len(key), len(originals)))
        originals += key + b"\0"
    trans_start = data_start + len(originals)
    trans_index: list[tuple[int, int]] = []
    for key in keys:
        value = pairs[key]
        trans_index.append((len(value), len(translations)))
        translations += value + b"\0"
    out = struct.pack("<7I", _MAGIC, 0, count, orig_table, trans_table, 0, data_start)
    out += b"".join(struct.pack("<2I", n, data_start + off) for n, off in orig_index)
    out += b"".join(struct.pack("<2I", n, trans_start + off) for n, off in trans_index)
    return out + originals + translations


def shipped_catalogs() -> list[tuple[Path, Path]]:
    """(``.po``, ``.mo``) pairs of the shipped locales."""
    root = Path(__file__).parent / "locale"
    return [(po, po.with_suffix(".mo")) for po in sorted(root.glob("*/LC_MESSAGES/*.po"))]


def main() -> int:
    for po, mo in shipped_catalogs():
        mo.write_bytes(compile_po(po.read_text(encoding="utf-8"), po))
        print(f"wrote {mo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
