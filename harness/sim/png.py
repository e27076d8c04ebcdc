"""``screencap -p``: a PNG of the screen, drawn by hand (no imaging library).

The drawing is schematic — each window's background, clickable views as filled
boxes, other views with text as outlined bars — enough for reports to show what
was on screen and where.
"""

from __future__ import annotations

import struct
import zlib

from harness.sim.windows import Node, Surface, walk

RGB = tuple[int, int, int]
_WINDOW_BG: dict[str, RGB] = {"activity": (250, 250, 250), "dialog": (255, 255, 255),
                              "popup": (255, 255, 240)}
_BUTTON: RGB = (33, 150, 243)
_TEXT: RGB = (60, 60, 60)
_BORDER: RGB = (30, 30, 30)


class Canvas:
    def __init__(self, width: int, height: int, color: RGB = (0, 0, 0)) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(color) * (width * height))

    def fill(self, left: int, top: int, right: int, bottom: int, color: RGB) -> None:
        left, right = max(0, left), min(self.width, right)
        top, bottom = max(0, top), min(self.height, bottom)
        if left >= right or top >= bottom:
            return
        row = bytes(color) * (right - left)
        for y in range(top, bottom):
            start = (y * self.width + left) * 3
            self.pixels[start:start + len(row)] = row

    def outline(self, left: int, top: int, right: int, bottom: int, color: RGB,
                width: int = 3) -> None:
        self.fill(left, top, right, top + width, color)
        self.fill(left, bottom - width, right, bottom, color)
        self.fill(left, top, left + width, bottom, color)
        self.fill(right - width, top, right, bottom, color)

    def png(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[y * stride:(y + 1) * stride])
                       for y in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(raw, 3)) + chunk(b"IEND", b""))


def _draw_node(canvas: Canvas, node: Node) -> None:
    left, top, right, bottom = node.bounds
    if node.clickable:
        canvas.fill(left, top, right, bottom, _BUTTON)
    elif node.text:
        # A bar as tall as a line of text stands in for the glyphs.
        line = min(bottom, top + 40)
        width = min(right - left, 24 * len(node.text))
        canvas.fill(left + 8, top + 8, left + 8 + width, line - 4, _TEXT)


def render_png(surfaces: list[Surface], width: int, height: int) -> bytes:
    canvas = Canvas(width, height, (0, 0, 0))
    for surface in surfaces:
        window = surface.window
        left, top, right, bottom = window.root.bounds
        canvas.fill(left, top, right, bottom, _WINDOW_BG.get(window.type, (255, 255, 255)))
        if window.type != "activity":
            canvas.outline(left, top, right, bottom, _BORDER)
        for node in walk(window.root):
            if node is not window.root:
                _draw_node(canvas, node)
    return canvas.png()
