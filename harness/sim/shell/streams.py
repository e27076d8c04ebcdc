"""Byte sinks and sources that shell commands read from and write to."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Protocol


class Sink(Protocol):
    async def write(self, data: bytes) -> None: ...


class Source(Protocol):
    async def read(self) -> bytes: ...


class NullSink:
    async def write(self, data: bytes) -> None:
        return None


class BufferSink:
    def __init__(self) -> None:
        self.data = bytearray()

    async def write(self, data: bytes) -> None:
        self.data += data


class FileSink:
    """``> file`` / ``>> file`` on the device file system."""

    def __init__(self, path: Path, append: bool) -> None:
        self._file: IO[bytes] = path.open("ab" if append else "wb")

    async def write(self, data: bytes) -> None:
        self._file.write(data)

    def close(self) -> None:
        self._file.close()


class BytesSource:
    def __init__(self, data: bytes = b"") -> None:
        self._data = data

    async def read(self) -> bytes:
        data, self._data = self._data, b""
        return data


async def read_all(source: Source, limit: int | None = None) -> bytes:
    chunks = bytearray()
    while limit is None or len(chunks) < limit:
        chunk = await source.read()
        if not chunk:
            break
        chunks += chunk
    return bytes(chunks)


async def read_exactly(source: Source, size: int, sink: IO[bytes]) -> int:
    """Copy ``size`` bytes from ``source`` into a file; returns the count copied."""
    got = 0
    pending = b""
    while got < size:
        chunk = pending or await source.read()
        pending = b""
        if not chunk:
            break
        take = chunk[: size - got]
        sink.write(take)
        got += len(take)
    return got
