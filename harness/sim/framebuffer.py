"""adbd's ``framebuffer:`` service: a header, then the screen as raw RGBA_8888 pixels.

Same picture as ``screencap -p`` (rendered once, as PNG, by the device), unpacked here;
the header is framebuffer_service's version 2 (with a colour space field).
"""

from __future__ import annotations

import struct
import zlib

from harness.sim.png import render_png
from harness.sim.state import DeviceState
from harness.sim.transport import Stream

_VERSION = 2
_COLORSPACE_SRGB = 1


def png_to_rgb(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of an 8-bit RGB PNG with unfiltered rows (what the
    device's renderer writes); anything else is refused, never guessed at."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, width, height, idat = 8, 0, 0, bytearray()
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack_from(">IIBB", body)
            if (depth, color) != (8, 2):
                raise ValueError(f"PNG depth/colour type {depth}/{color}, expected 8/2")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(bytes(idat))
    stride = width * 3
    if len(raw) != height * (stride + 1):
        raise ValueError("PNG image data has the wrong size")
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        if raw[start] != 0:
            raise ValueError(f"PNG row {y} uses filter {raw[start]}; only 0 is supported")
        rows.append(raw[start + 1:start + 1 + stride])
    return width, height, b"".join(rows)


def rgba_frame(width: int, height: int, rgb: bytes) -> bytes:
    pixels = width * height
    out = bytearray(b"\xff" * (pixels * 4))
    for channel in range(3):
        out[channel::4] = rgb[channel::3]
    header = struct.pack("<14I", _VERSION, 32, _COLORSPACE_SRGB, pixels * 4, width, height,
                         0, 8,    # red offset, length
                         16, 8,   # blue
                         8, 8,    # green
                         24, 8)   # alpha
    return header + bytes(out)


async def serve_framebuffer(device: DeviceState, stream: Stream) -> None:
    cfg = device.display
    width, height, rgb = png_to_rgb(render_png(device.surfaces(), cfg.width, cfg.height))
    await stream.write(rgba_frame(width, height, rgb))
