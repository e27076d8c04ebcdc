"""adbd's ``framebuffer:`` service: a header, then the screen as raw RGBA_8888 pixels.

Same picture as ``screencap -p`` (rendered once, as PNG, by the device), unpacked here;
the header is framebuffer_service's version 2 (with a colour space field).
"""

from __future__ import annotations

import re
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


# --- screenrecord's video: H.264 (Baseline, every frame an IDR of I_PCM macroblocks) in
# MP4. I_PCM carries the samples verbatim, so no encoder is needed and any player decodes
# it; the cost is size (1.5 bytes a pixel), like a screen recording at a very high bit rate.

class _Bits:
    def __init__(self) -> None:
        self.bits: list[str] = []

    def u(self, n: int, value: int) -> None:
        self.bits.append(format(value, f"0{n}b") if n else "")

    def ue(self, value: int) -> None:
        code = format(value + 1, "b")
        self.bits.append("0" * (len(code) - 1) + code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def text(self) -> str:
        return "".join(self.bits)


def _rbsp(bits: str) -> bytes:
    """rbsp_trailing_bits, then the bytes."""
    bits += "1"
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _nal(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    # Emulation prevention: no 00 00 0x (x <= 3) inside a NAL unit.
    body = re.sub(rb"\x00\x00(?=[\x00-\x03])", b"\x00\x00\x03", rbsp)
    return bytes([ref_idc << 5 | kind]) + body


_PROFILE, _CONSTRAINTS, _LEVEL = 66, 0xC0, 51   # Baseline, constrained; level 5.1


def _parameter_sets(width: int, height: int) -> tuple[bytes, bytes]:
    mbs_w, mbs_h = -(-width // 16), -(-height // 16)
    sps = _Bits()
    sps.u(8, _PROFILE)
    sps.u(8, _CONSTRAINTS)
    sps.u(8, _LEVEL)
    sps.ue(0)            # seq_parameter_set_id
    sps.ue(0)            # log2_max_frame_num_minus4
    sps.ue(2)            # pic_order_cnt_type: output order is decoding order
    sps.ue(1)            # max_num_ref_frames (an IDR is a reference picture)
    sps.u(1, 0)          # gaps_in_frame_num_value_allowed_flag
    sps.ue(mbs_w - 1)
    sps.ue(mbs_h - 1)
    sps.u(1, 1)          # frame_mbs_only_flag
    sps.u(1, 1)          # direct_8x8_inference_flag
    crop_r, crop_b = (mbs_w * 16 - width) // 2, (mbs_h * 16 - height) // 2
    sps.u(1, 1 if crop_r or crop_b else 0)
    if crop_r or crop_b:
        for offset in (0, crop_r, 0, crop_b):
            sps.ue(offset)
    sps.u(1, 0)          # vui_parameters_present_flag
    pps = _Bits()
    pps.ue(0)            # pic_parameter_set_id
    pps.ue(0)            # seq_parameter_set_id
    pps.u(1, 0)          # entropy_coding_mode_flag: CAVLC
    pps.u(1, 0)          # bottom_field_pic_order_in_frame_present_flag
    pps.ue(0)            # num_slice_groups_minus1
    pps.ue(0)
    pps.ue(0)            # num_ref_idx_l0/l1_default_active_minus1
    pps.u(1, 0)
    pps.u(2, 0)          # weighted prediction off
    pps.se(0)
    pps.se(0)
    pps.se(0)            # pic_init_qp/qs, chroma_qp_index_offset
    pps.u(1, 0)          # deblocking_filter_control_present_flag
    pps.u(1, 0)          # constrained_intra_pred_flag
    pps.u(1, 0)          # redundant_pic_cnt_present_flag
    return _nal(3, 7, _rbsp(sps.text())), _nal(3, 8, _rbsp(pps.text()))


def _planes(width: int, height: int, rgb: bytes) -> tuple[bytes, bytes, bytes, int]:
    """BT.601 limited-range Y, Cb, Cr planes padded to whole macroblocks (stride
    returned); chroma takes each 2x2 block's top-left pixel. The screen is flat
    rectangles, so identical rows are converted once."""
    stride = -(-width // 16) * 16
    rows_y: list[bytes] = []
    rows_u: list[bytes] = []
    rows_v: list[bytes] = []
    cache: dict[bytes, tuple[bytes, bytes, bytes]] = {}
    for y in range(-(-height // 16) * 16):
        row = rgb[min(y, height - 1) * width * 3:(min(y, height - 1) + 1) * width * 3]
        conv = cache.get(row)
        if conv is None:
            ys, us, vs = bytearray(), bytearray(), bytearray()
            for x in range(stride):
                i = min(x, width - 1) * 3
                r, g, b = row[i], row[i + 1], row[i + 2]
                ys.append(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16)
                if not x & 1:
                    us.append(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128)
                    vs.append(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128)
            conv = cache[row] = (bytes(ys), bytes(us), bytes(vs))
        rows_y.append(conv[0])
        if not y & 1:
            rows_u.append(conv[1])
            rows_v.append(conv[2])
    return b"".join(rows_y), b"".join(rows_u), b"".join(rows_v), stride


def idr_frame(width: int, height: int, rgb: bytes, idr_id: int) -> bytes:
    """One IDR access unit's slice NAL: every macroblock I_PCM (mb_type 25)."""
    plane_y, plane_u, plane_v, stride = _planes(width, height, rgb)
    head = _Bits()
    head.ue(0)           # first_mb_in_slice
    head.ue(7)           # slice_type: I (all slices)
    head.ue(0)           # pic_parameter_set_id
    head.u(4, 0)         # frame_num
    head.ue(idr_id & 0xFFFF)
    head.u(1, 0)
    head.u(1, 0)         # dec_ref_pic_marking: no_output_of_prior_pics, long_term_reference
    head.se(0)           # slice_qp_delta
    bits = head.text()
    # Every macroblock starts with mb_type ue(25) = 000011010, then zero bits to the
    # byte boundary, then 256 + 2*64 samples; samples are 16..240, never 0.
    out = bytearray()
    mb_type = "000011010"
    first = bits + mb_type
    first += "0" * (-len(first) % 8)
    between = int("000011010" + "0000000", 2).to_bytes(2, "big")
    cstride = stride // 2
    for my in range(len(plane_y) // (16 * stride)):
        for mx in range(stride // 16):
            if out:
                out += between
            else:
                out += int(first, 2).to_bytes(len(first) // 8, "big")
            for r in range(16):
                at = (my * 16 + r) * stride + mx * 16
                out += plane_y[at:at + 16]
            for plane in (plane_u, plane_v):
                for r in range(8):
                    at = (my * 8 + r) * cstride + mx * 8
                    out += plane[at:at + 8]
    out += b"\x80"       # rbsp_slice_trailing_bits
    return _nal(3, 5, bytes(out))


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I4s", 8 + len(body), kind) + body


def _full(kind: bytes, version_flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", version_flags), *parts)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
_MEDIA_TIMESCALE = 90000


def mp4_file(width: int, height: int, frames: list[tuple[float, bytes]], end: float) -> bytes:
    """An MP4 (as MediaMuxer writes for screenrecord) of (time in s, IDR NAL) frames,
    the last lasting until ``end``."""
    sps, pps = _parameter_sets(width, height)
    samples = [struct.pack(">I", len(nal)) + nal for _, nal in frames]
    times = [t for t, _ in frames] + [max(end, frames[-1][0] + 0.001)]
    deltas = [max(1, round((b - a) * _MEDIA_TIMESCALE))
              for a, b in zip(times, times[1:], strict=False)]
    duration = sum(deltas)
    ms = duration * 1000 // _MEDIA_TIMESCALE
    ftyp = _box(b"ftyp", b"mp42", struct.pack(">I", 0), b"isommp42")
    mdat_start = len(ftyp) + 8
    offsets, at = [], mdat_start
    for sample in samples:
        offsets.append(at)
        at += len(sample)
    avcc = _box(b"avcC", bytes([1, _PROFILE, _CONSTRAINTS, _LEVEL, 0xFF, 0xE1]),
                struct.pack(">H", len(sps)), sps, b"\x01", struct.pack(">H", len(pps)), pps)
    avc1 = _box(b"avc1", b"\x00" * 6, struct.pack(">H", 1), b"\x00" * 16,
                struct.pack(">HHIIIH", width, height, 0x480000, 0x480000, 0, 1),
                b"\x00" * 32, struct.pack(">Hh", 0x18, -1), avcc)
    stbl = _box(b"stbl",
                _full(b"stsd", 0, struct.pack(">I", 1), avc1),
                _full(b"stts", 0, struct.pack(">I", len(deltas)),
                      b"".join(struct.pack(">II", 1, d) for d in deltas)),
                _full(b"stsc", 0, struct.pack(">IIII", 1, 1, 1, 1)),
                _full(b"stsz", 0, struct.pack(">II", 0, len(samples)),
                      b"".join(struct.pack(">I", len(s)) for s in samples)),
                _full(b"stco", 0, struct.pack(">I", len(offsets)),
                      b"".join(struct.pack(">I", o) for o in offsets)))
    minf = _box(b"minf", _full(b"vmhd", 1, b"\x00" * 8),
                _box(b"dinf", _full(b"dref", 0, struct.pack(">I", 1), _full(b"url ", 1))),
                stbl)
    mdia = _box(b"mdia",
                _full(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, _MEDIA_TIMESCALE, duration,
                                              0x55C4, 0)),
                _full(b"hdlr", 0, b"\x00" * 4, b"vide", b"\x00" * 12, b"VideoHandle\x00"),
                minf)
    tkhd = _full(b"tkhd", 7, struct.pack(">IIIII", 0, 0, 1, 0, ms), b"\x00" * 8,
                 struct.pack(">hhhH", 0, 0, 0, 0), _MATRIX,
                 struct.pack(">II", width << 16, height << 16))
    mvhd = _full(b"mvhd", 0, struct.pack(">IIIIIH", 0, 0, 1000, ms, 0x10000, 0x100),
                 b"\x00" * 10, _MATRIX, b"\x00" * 24, struct.pack(">I", 2))
    moov = _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))
    mdat = struct.pack(">I4s", 8 + sum(map(len, samples)), b"mdat") + b"".join(samples)
    return ftyp + mdat + moov
