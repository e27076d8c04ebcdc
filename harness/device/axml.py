"""A minimal reader of the binary ``AndroidManifest.xml`` (AXML) inside an APK.

Only what identifies the app is read — ``package``, ``versionCode``, ``versionName``
and ``split`` (set in a split APK only) of ``<manifest>`` and ``label`` of
``<application>`` — from the string pool and the
start-element chunks; everything else in the file is skipped. The bytes come from an APK
and are hostile: every size and offset is checked before it is followed, and anything
malformed is a ValueError (which :mod:`harness.device.apkinfo` turns into a note).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

_PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")

_RES_STRING_POOL = 0x0001
_RES_XML = 0x0003
_RES_XML_START_ELEMENT = 0x0102
_TYPE_STRING = 0x03
_TYPE_REFERENCE = 0x01
_TYPE_INT_DEC = 0x10
_TYPE_INT_HEX = 0x11
_WANTED = {"manifest": ("package", "versionCode", "versionName", "split"),
           "application": ("label",)}


def read_axml_manifest(data: bytes) -> dict[str, str | int]:
    """``package``, ``versionCode``, ``versionName``, ``split`` (of ``<manifest>``) and
    ``label`` (of ``<application>``) from a binary AndroidManifest.xml (ValueError when malformed).

    Only the chunks needed are read: the string pool and start-element chunks. A
    reference value comes back as ``@0x7f…``.
    """
    out: dict[str, str | int] = {}
    for chunk, header_size, strings in _start_elements(data):
        _element(chunk, header_size, strings, out)
        if "label" in out or len(out) >= len(_WANTED["manifest"]) + 1:
            break
    if "package" not in out:
        raise ValueError("no <manifest package=…>")
    return out


#: Components whose ``android:process`` puts them in a process of their own.
_COMPONENTS = frozenset({"application", "activity", "activity-alias", "service", "receiver",
                         "provider"})
#: At most this many process names are read (a hostile manifest could declare thousands).
MAX_PROCESSES = 64


def read_axml_processes(data: bytes) -> list[str]:
    """The ``android:process`` values of the manifest's components (``:push``,
    ``com.example.x.remote``), in document order, each once (ValueError when malformed)."""
    found: list[str] = []
    for chunk, header_size, strings in _start_elements(data):
        value = _process_attr(chunk, header_size, strings)
        if value is not None and value not in found:
            found.append(value)
            if len(found) >= MAX_PROCESSES:
                break
    return found


def _start_elements(data: bytes) -> Iterator[tuple[bytes, int, list[str]]]:
    """Each start-element chunk of a binary XML file, its header size and the string pool
    (read from the pool chunk that precedes the elements); ValueError when malformed."""
    if len(data) < 8 or struct.unpack_from("<H", data, 0)[0] != _RES_XML:
        raise ValueError("not a binary XML file")
    total = min(struct.unpack_from("<I", data, 4)[0], len(data))
    strings: list[str] = []
    pos = struct.unpack_from("<H", data, 2)[0]
    while pos + 8 <= total:
        kind, header_size, size = struct.unpack_from("<HHI", data, pos)
        if size < 8 or pos + size > total or header_size > size:
            raise ValueError(f"bad chunk at byte {pos}")
        if kind == _RES_STRING_POOL and not strings:
            strings = _string_pool(data[pos : pos + size])
        elif kind == _RES_XML_START_ELEMENT:
            yield data[pos : pos + size], header_size, strings
        pos += size


def _process_attr(chunk: bytes, header_size: int, strings: list[str]) -> str | None:
    if len(chunk) < header_size + 20:
        raise ValueError("start element too short")
    _ns, name_idx, attr_start, attr_size, attr_count = struct.unpack_from(
        "<iiHHH", chunk, header_size)
    if not 0 <= name_idx < len(strings) or strings[name_idx] not in _COMPONENTS \
            or attr_size < 20:
        return None
    for i in range(attr_count):
        off = header_size + attr_start + i * attr_size
        if off + 20 > len(chunk):
            raise ValueError("attribute out of range")
        _ans, aname, raw, _vsize, _res0, vtype, vdata = struct.unpack_from("<iiiHBBI", chunk, off)
        if 0 <= aname < len(strings) and strings[aname] == "process":
            index = vdata if vtype == _TYPE_STRING else raw
            return strings[index] if 0 <= index < len(strings) else None
    return None


def _string_pool(chunk: bytes) -> list[str]:
    if len(chunk) < 28:
        raise ValueError("string pool too short")
    count, _styles, flags, strings_start, _ = struct.unpack_from("<IIIII", chunk, 8)
    header = struct.unpack_from("<H", chunk, 2)[0]
    if count > len(chunk) // 4:
        raise ValueError("string pool count out of range")
    utf8 = bool(flags & 0x100)
    out: list[str] = []
    for i in range(count):
        off = header + 4 * i
        if off + 4 > len(chunk):
            raise ValueError("string pool truncated")
        start = strings_start + struct.unpack_from("<I", chunk, off)[0]
        out.append(_pool_string(chunk, start, utf8))
    return out


def _pool_string(chunk: bytes, pos: int, utf8: bool) -> str:
    try:
        if utf8:
            pos += 2 if chunk[pos] & 0x80 else 1  # length in UTF-16 units: skip
            n = chunk[pos]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | chunk[pos + 1]
                pos += 1
            pos += 1
            return chunk[pos : pos + n].decode("utf-8", "replace")
        n = struct.unpack_from("<H", chunk, pos)[0]
        if n & 0x8000:
            n = ((n & 0x7FFF) << 16) | struct.unpack_from("<H", chunk, pos + 2)[0]
            pos += 2
        pos += 2
        return chunk[pos : pos + 2 * n].decode("utf-16-le", "replace")
    except (IndexError, struct.error) as exc:
        raise ValueError("string pool entry out of range") from exc


def _element(chunk: bytes, header_size: int, strings: list[str], out: dict[str, str | int]) -> None:
    def string(index: int) -> str | None:
        return strings[index] if 0 <= index < len(strings) else None

    if len(chunk) < header_size + 20:
        raise ValueError("start element too short")
    ext = header_size
    _ns, name_idx, attr_start, attr_size, attr_count = struct.unpack_from("<iiHHH", chunk, ext)
    wanted = _WANTED.get(string(name_idx) or "")
    if wanted is None or attr_size < 20:
        return
    for i in range(attr_count):
        off = ext + attr_start + i * attr_size
        if off + 20 > len(chunk):
            raise ValueError("attribute out of range")
        _ans, aname, raw, _vsize, _res0, vtype, vdata = struct.unpack_from("<iiiHBBI", chunk, off)
        key = string(aname)
        if key not in wanted:
            continue
        if vtype == _TYPE_STRING or (raw >= 0 and vtype not in (_TYPE_INT_DEC, _TYPE_INT_HEX)):
            text = string(vdata if vtype == _TYPE_STRING else raw)
            if text is not None:
                out[key] = text
        elif vtype in (_TYPE_INT_DEC, _TYPE_INT_HEX):
            out[key] = vdata
        elif vtype == _TYPE_REFERENCE:
            out[key] = f"@0x{vdata:08x}"
    if "package" in out and isinstance(out["package"], str):
        if not _PACKAGE_RE.fullmatch(out["package"]):
            raise ValueError(f"package {out['package'][:60]!r} is not a package name")
