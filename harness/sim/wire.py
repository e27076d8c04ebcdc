"""ADB transport messages: the 24-byte header and its payload (adbd's side)."""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

A_SYNC = 0x434E5953
A_CNXN = 0x4E584E43
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_CLSE = 0x45534C43
A_WRTE = 0x45545257
A_AUTH = 0x48545541

A_VERSION = 0x01000001
#: Largest payload we accept and advertise; the host may announce less in its CNXN.
MAX_PAYLOAD = 1024 * 1024

_HEADER = struct.Struct("<6I")
NAMES = {A_SYNC: "SYNC", A_CNXN: "CNXN", A_OPEN: "OPEN", A_OKAY: "OKAY", A_CLSE: "CLSE",
         A_WRTE: "WRTE", A_AUTH: "AUTH"}


class WireError(Exception):
    """The peer sent bytes that are not an ADB message; the connection is dropped."""


@dataclass(frozen=True)
class Message:
    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    def pack(self) -> bytes:
        # The checksum field is a byte sum only before protocol version 0x01000001; we
        # speak that version, where hosts ignore it, and summing 1 MiB payloads in
        # Python would cost more than the transfer itself.
        header = _HEADER.pack(self.command, self.arg0, self.arg1, len(self.data), 0,
                              self.command ^ 0xFFFFFFFF)
        return header + self.data

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        name = NAMES.get(self.command, hex(self.command))
        return f"Message({name}, {self.arg0}, {self.arg1}, {self.data[:40]!r})"


async def read_message(reader: asyncio.StreamReader) -> Message:
    """Read one message; raises IncompleteReadError at EOF, WireError on garbage."""
    header = await reader.readexactly(_HEADER.size)
    command, arg0, arg1, length, _checksum, magic = _HEADER.unpack(header)
    if magic != command ^ 0xFFFFFFFF:
        raise WireError(f"bad magic for command {command:#x}")
    if length > MAX_PAYLOAD:
        raise WireError(f"payload of {length} bytes exceeds {MAX_PAYLOAD}")
    data = await reader.readexactly(length) if length else b""
    return Message(command, arg0, arg1, data)
