"""The ``sync:`` service: STAT/STA2/LST2/LIST/SEND/RECV/DATA/DONE/QUIT."""

from __future__ import annotations

import contextlib
import os
import stat as statmod
import struct

from harness.sim.errors import SimulatorError
from harness.sim.state import DeviceState
from harness.sim.transport import Stream

MAX_PATH = 1024
MAX_CHUNK = 64 * 1024  # adb rejects DATA packets larger than this
_ID_LEN = struct.Struct("<4sI")
_STAT_V1 = struct.Struct("<III")
_STAT_V2 = struct.Struct("<IQQIIIIQqqq")
_DENT = struct.Struct("<4sIIII")
_READ_ONLY = ("/system", "/proc", "/vendor")
ENOENT, EACCES, ENOTDIR = 2, 13, 20


class _Reader:
    """The byte stream does not align with WRTE boundaries, so buffer it."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.buf = bytearray()

    async def exactly(self, n: int) -> bytes | None:
        while len(self.buf) < n:
            chunk = await self.stream.read()
            if not chunk:
                return None
            self.buf += chunk
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data


class _Writer:
    """Coalesces small replies into WRTEs of up to the connection's payload size."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.buf = bytearray()

    async def put(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) >= self.stream.conn.max_payload:
            await self.flush()

    async def flush(self) -> None:
        if self.buf:
            data, self.buf = bytes(self.buf), bytearray()
            await self.stream.write(data)


def _fail(message: str) -> bytes:
    raw = message.encode()
    return _ID_LEN.pack(b"FAIL", len(raw)) + raw


async def serve_sync(device: DeviceState, stream: Stream) -> None:
    reader, writer = _Reader(stream), _Writer(stream)
    while True:
        head = await reader.exactly(_ID_LEN.size)
        if head is None:
            return
        ident, length = _ID_LEN.unpack(head)
        if ident == b"QUIT":
            await writer.flush()
            return
        if length > MAX_PATH:
            await writer.put(_fail("path too long"))
            await writer.flush()
            return
        raw = await reader.exactly(length)
        if raw is None:
            return
        path = raw.decode("utf-8", "surrogateescape")
        try:
            if ident == b"STAT":
                await writer.put(_stat_v1(device, path))
            elif ident in (b"STA2", b"LST2"):
                await writer.put(_stat_v2(device, path, ident))
            elif ident == b"LIST":
                await _list(device, path, writer)
            elif ident == b"RECV":
                await _recv(device, path, writer)
            elif ident == b"SEND":
                reply = await _send(device, path, reader)
                if reply is None:
                    return
                await writer.put(reply)
            else:
                await writer.put(_fail(f"unknown sync request {ident!r}"))
                await writer.flush()
                return
        except SimulatorError as exc:
            await writer.put(_fail(str(exc)))
        await writer.flush()


def _stat_v1(device: DeviceState, path: str) -> bytes:
    try:
        st = device.fs.host(path).stat()
    except (OSError, SimulatorError):
        return b"STAT" + _STAT_V1.pack(0, 0, 0)
    return b"STAT" + _STAT_V1.pack(st.st_mode, st.st_size & 0xFFFFFFFF, int(st.st_mtime))


def _stat_v2(device: DeviceState, path: str, ident: bytes) -> bytes:
    try:
        host = device.fs.host(path)
        st = host.lstat() if ident == b"LST2" else host.stat()
    except (OSError, SimulatorError):
        return ident + _STAT_V2.pack(ENOENT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    return ident + _STAT_V2.pack(0, 0xFD00, st.st_ino, st.st_mode, st.st_nlink, 2000, 2000,
                                 st.st_size, int(st.st_atime), int(st.st_mtime),
                                 int(st.st_ctime))


async def _list(device: DeviceState, path: str, writer: _Writer) -> None:
    host = device.fs.host(path)
    if host.is_dir():
        for entry in sorted(os.listdir(host)):
            with contextlib.suppress(OSError):
                st = (host / entry).lstat()
                name = entry.encode("utf-8", "surrogateescape")
                await writer.put(_DENT.pack(b"DENT", st.st_mode, st.st_size & 0xFFFFFFFF,
                                            int(st.st_mtime), len(name)) + name)
    await writer.put(_DENT.pack(b"DONE", 0, 0, 0, 0))


async def _recv(device: DeviceState, path: str, writer: _Writer) -> None:
    host = device.fs.host(path)
    if not host.is_file():
        reason = "Is a directory" if host.is_dir() else "No such file or directory"
        await writer.put(_fail(f"remote object '{path}' does not exist: {reason}"
                               if not host.is_dir() else f"{path}: {reason}"))
        return
    with host.open("rb") as f:
        while chunk := f.read(MAX_CHUNK):
            await writer.put(_ID_LEN.pack(b"DATA", len(chunk)) + chunk)
    await writer.put(_ID_LEN.pack(b"DONE", 0))


async def _send(device: DeviceState, spec: str, reader: _Reader) -> bytes | None:
    """Receive a file; returns the reply, or None if the host went away mid-transfer."""
    path, _, mode_text = spec.rpartition(",")
    if not path:
        path, mode_text = spec, "33188"
    error: str | None = None
    try:
        norm = device.fs.normalize(path)
        host = device.fs.host(norm)
        mode = int(mode_text) if mode_text.isdigit() else 0o644
        if any(norm == p or norm.startswith(p + "/") for p in _READ_ONLY):
            error = "couldn't create file: Read-only file system"
        elif host.is_dir():
            error = "couldn't create file: Is a directory"
        else:
            host.parent.mkdir(parents=True, exist_ok=True)  # fixed_push_mkdir
    except (OSError, SimulatorError) as exc:
        error = f"couldn't create file: {exc}"
    tmp = host.with_name(f".{host.name}.sync-tmp") if error is None else None
    out = tmp.open("wb") if tmp is not None else None
    try:
        while True:
            head = await reader.exactly(_ID_LEN.size)
            if head is None:
                return None
            ident, length = _ID_LEN.unpack(head)
            if ident == b"DATA":
                if length > MAX_CHUNK:
                    return None
                data = await reader.exactly(length)
                if data is None:
                    return None
                if out is not None:
                    out.write(data)
            elif ident == b"DONE":
                if out is None or tmp is None:
                    return _fail(error or "push failed")
                out.close()
                out = None
                os.chmod(tmp, statmod.S_IMODE(mode) or 0o644)
                os.utime(tmp, (length, length))
                os.replace(tmp, host)
                return b"OKAY" + b"\0\0\0\0"
            else:
                return _fail(f"unexpected sync packet {ident!r} during SEND")
    finally:
        if out is not None:
            out.close()
        if tmp is not None and tmp.exists():
            tmp.unlink()
