"""Unit checks of the device's building blocks: wire, identity, packages, windows, PNG."""

from __future__ import annotations

import asyncio
import struct
import zlib

import pytest
from tests_sim_helpers import sim_package

from harness.sim.fs import DeviceFS
from harness.sim.identity import _luhn_digit, make_identity
from harness.sim.packages import InstallFailure, read_package
from harness.sim.png import render_png
from harness.sim.windows import Node, Surface, Window, hit_test, render_hierarchy
from harness.sim.wire import A_WRTE, Message, read_message


def test_wire_round_trip() -> None:
    async def go() -> Message:
        reader = asyncio.StreamReader()
        reader.feed_data(Message(A_WRTE, 3, 4, b"hello").pack())
        return await read_message(reader)

    assert asyncio.run(go()) == Message(A_WRTE, 3, 4, b"hello")


def test_identity_is_deterministic_and_distinct() -> None:
    a, b = make_identity(0), make_identity(1)
    assert a == make_identity(0)
    assert a.imei != b.imei and a.android_id != b.android_id
    assert a.imei[-1] == _luhn_digit(a.imei[:-1]) and len(a.imei) == 15
    assert _luhn_digit("49015420323751") == "8"  # a published example IMEI


def test_fs_cannot_escape_root(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fs = DeviceFS(tmp_path)
    assert fs.host("/../../etc/passwd") == tmp_path / "etc/passwd"
    assert fs.host("/storage/emulated/0/x") == tmp_path / "sdcard/x"


@pytest.mark.parametrize("fields, message", [
    ({"package": "bad name;rm"}, "package"),
    ({"main_activity": "x y"}, "main_activity"),
    ({"extra": 1}, "extra"),
    ({"format": 2}, "format"),
])
def test_manifest_validation(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InstallFailure, match="INSTALL_FAILED_INVALID_APK") as info:
        read_package(sim_package(**fields))
    assert message in info.value.detail


def test_non_zip_and_no_manifest() -> None:
    with pytest.raises(InstallFailure, match="not a zip"):
        read_package(b"garbage")
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("AndroidManifest.xml", "<manifest/>")
    with pytest.raises(InstallFailure, match="no manifest.json"):
        read_package(buf.getvalue())


def _screen() -> list[Surface]:
    button = Node(vid=2, cls="android.widget.Button", text="OK", clickable=True,
                  bounds=(100, 100, 300, 200))
    main = Window(id=1, type="activity", root=Node(vid=1, bounds=(0, 0, 1080, 2340),
                                                     children=[button]))
    dialog = Window(id=2, type="dialog", root=Node(vid=5, bounds=(0, 1000, 1080, 1400),
                                                     children=[Node(vid=6, text="\x01<b>",
                                                                    clickable=True,
                                                                    bounds=(0, 1000, 500,
                                                                            1100))]))
    return [Surface("com.example.a", main), Surface("com.example.a", dialog)]


def test_hit_test_topmost_and_modal() -> None:
    surfaces = _screen()
    hit = hit_test(surfaces, 10, 1010)
    assert hit is not None and hit[1].vid == 6
    assert hit_test(surfaces, 150, 150) is None  # behind the modal dialog
    assert hit_test(surfaces[:1], 150, 150) is not None


def test_render_hierarchy_escapes() -> None:
    xml = render_hierarchy(_screen())
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>")
    assert 'text=" &lt;b&gt;"' in xml


def test_png_is_valid() -> None:
    data = render_png(_screen(), 108, 234)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = body
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert (width, height) == (108, 234)
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + width * 3)
    assert b"IEND" in chunks
