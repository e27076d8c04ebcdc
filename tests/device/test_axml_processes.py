"""The processes a binary AndroidManifest.xml declares (``android:process`` of its
components) — checked against androguard, a parser from outside the project."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from harness.device.axml import MAX_PROCESSES, read_axml_processes
from harness.device.processes import _manifest_processes

Element = tuple[str, dict[str, str]]


def axml(elements: list[Element]) -> bytes:
    """A binary XML document: ``elements`` nested in the order given (each inside the
    previous one), string attributes only."""
    strings: list[str] = []
    for tag, attrs in elements:
        for s in (tag, *attrs, *attrs.values()):
            if s not in strings:
                strings.append(s)
    pool, offsets = b"", []
    for s in strings:
        offsets.append(len(pool))
        pool += struct.pack("<H", len(s)) + s.encode("utf-16-le") + b"\0\0"
    while len(pool) % 4:
        pool += b"\0"
    body = b"".join(struct.pack("<I", o) for o in offsets) + pool
    chunk = struct.pack("<HHIIIIII", 0x0001, 28, 28 + len(body), len(strings), 0, 0,
                        28 + 4 * len(strings), 0) + body
    for tag, attrs in elements:
        raw = b"".join(struct.pack("<iiiHBBI", -1, strings.index(k), strings.index(v), 8, 0,
                                   0x03, strings.index(v)) for k, v in attrs.items())
        ext = struct.pack("<iiHHHHHH", -1, strings.index(tag), 20, 20, len(attrs), 0, 0, 0)
        chunk += struct.pack("<HHIii", 0x0102, 16, 16 + len(ext) + len(raw), 1, -1) + ext + raw
    for tag, _ in reversed(elements):
        chunk += struct.pack("<HHIiiii", 0x0103, 16, 24, 1, -1, -1, strings.index(tag))
    return struct.pack("<HHI", 0x0003, 8, 8 + len(chunk)) + chunk


MANIFEST: list[Element] = [
    ("manifest", {"package": "com.example.real"}),
    ("application", {"label": "Real"}),
    ("service", {"name": "com.push.PushService", "process": ":push"}),
    ("receiver", {"name": "com.push.Wake", "process": ":push"}),
    ("provider", {"name": "com.x.Remote", "process": "com.example.real.remote"}),
    ("activity", {"name": "com.example.real.Main"}),
]


def test_component_processes_match_androguard() -> None:
    from androguard.core.axml import AXMLPrinter

    raw = axml(MANIFEST)
    theirs = AXMLPrinter(raw).get_xml_obj()
    expected: list[str] = []
    for el in theirs.iter():
        value = el.attrib.get("process")
        if value is not None and value not in expected:
            expected.append(value)
    assert read_axml_processes(raw) == expected == [":push", "com.example.real.remote"]


def test_an_apk_names_its_further_processes_in_full(tmp_path: Path) -> None:
    apk = tmp_path / "base.apk"
    with zipfile.ZipFile(apk, "w") as z:
        z.writestr("AndroidManifest.xml", axml(MANIFEST))
    assert _manifest_processes(apk, "com.example.real") == [
        "com.example.real:push", "com.example.real.remote"]


def test_a_hostile_manifest_is_bounded() -> None:
    many = [("manifest", {"package": "com.example.real"})] + [
        ("service", {"name": f"S{i}", "process": f":p{i}"}) for i in range(500)]
    assert len(read_axml_processes(axml(many))) == MAX_PROCESSES


@pytest.mark.parametrize("data", [b"", b"\x03\x00\x08\x00", b"not xml at all"])
def test_garbage_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        read_axml_processes(data)
