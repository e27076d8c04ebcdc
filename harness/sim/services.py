"""adbd services: ``shell:`` (v1), ``shell,v2,…:``, ``exec:``; routing to ``sync:``,
``reverse:`` and ``framebuffer:``."""

from __future__ import annotations

import asyncio
import contextlib
import struct

from harness.sim.shell.interp import IOSet, Shell
from harness.sim.state import DeviceState
from harness.sim.transport import AdbConnection, Handler, Stream

# shell v2 packet ids
V2_STDIN, V2_STDOUT, V2_STDERR, V2_EXIT, V2_CLOSE_STDIN, V2_WINDOW = 0, 1, 2, 3, 4, 5
_V2_HEAD = struct.Struct("<BI")


class RawSink:
    """Bytes straight onto the stream (v1 shell and exec merge stdout and stderr)."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    async def write(self, data: bytes) -> None:
        if data:
            await self.stream.write(data)


class RawSource:
    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    async def read(self) -> bytes:
        return await self.stream.read()


class V2Sink:
    def __init__(self, stream: Stream, packet_id: int) -> None:
        self.stream = stream
        self.packet_id = packet_id

    async def write(self, data: bytes) -> None:
        # Frames bigger than a WRTE are fine: the host reassembles the byte stream.
        step = 256 * 1024
        for start in range(0, len(data), step):
            part = data[start:start + step]
            await self.stream.write(_V2_HEAD.pack(self.packet_id, len(part)) + part)


class V2Source:
    """Demultiplexes the host's v2 packets: stdin data, close-stdin, window size."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.task = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self) -> None:
        buf = bytearray()
        while True:
            chunk = await self.stream.read()
            if not chunk:
                self.queue.put_nowait(b"")
                return
            buf += chunk
            while len(buf) >= _V2_HEAD.size:
                packet_id, length = _V2_HEAD.unpack_from(buf)
                if len(buf) < _V2_HEAD.size + length:
                    break
                payload = bytes(buf[_V2_HEAD.size:_V2_HEAD.size + length])
                del buf[:_V2_HEAD.size + length]
                if packet_id == V2_STDIN and payload:
                    self.queue.put_nowait(payload)
                elif packet_id == V2_CLOSE_STDIN:
                    self.queue.put_nowait(b"")

    async def read(self) -> bytes:
        data = await self.queue.get()
        if not data:
            self.queue.put_nowait(b"")  # stay at EOF for later readers
        return data

    def close(self) -> None:
        self.task.cancel()


async def _interactive(shell: Shell, io: IOSet) -> int:
    """``adb shell`` with no command: run stdin line by line until EOF or ``exit``."""
    pending = b""
    status = 0
    while True:
        chunk = await io.stdin.read()
        if not chunk:
            break
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            text = line.decode("utf-8", "replace").strip("\r")
            status = await shell.run(text, io)
            if text.strip().startswith("exit"):
                return status
    return status


def new_connection(state: DeviceState, reader: asyncio.StreamReader,
                   writer: asyncio.StreamWriter) -> AdbConnection:
    """An ADB connection from the host, serving this device's services."""
    return AdbConnection(state, lambda service: open_service(state, service), reader, writer)


def open_service(state: DeviceState, service: str) -> Handler | None:
    """The handler of ``service``; the hang fault swaps the next one for :func:`hang`."""
    handler = make_handler(state, service)
    if handler is not None and state.faults.hang_next_stream:
        state.faults.hang_next_stream = False
        return hang
    return handler


def make_handler(device: DeviceState, service: str) -> Handler | None:
    from harness.sim.sync import serve_sync

    if service.startswith("shell,") or service.startswith("shell:"):
        head, _, command = service.partition(":")
        options = head.split(",")[1:]
        if "v2" in options:
            return lambda stream: _shell_v2(device, stream, command)
        return lambda stream: _shell_raw(device, stream, command)
    if service.startswith("exec:"):
        command = service[len("exec:"):]
        return lambda stream: _shell_raw(device, stream, command)
    if service.startswith("sync:"):
        return lambda stream: serve_sync(device, stream)
    if service.startswith("reverse:"):
        request = service[len("reverse:"):]
        return lambda stream: stream.conn.reverse.handle(request, stream)
    if service.startswith("tcp:") and service[4:].isdigit() and 0 < int(service[4:]) < 65536:
        from harness.sim.reverse import serve_tcp

        port = int(service[4:])
        return lambda stream: serve_tcp(port, stream)
    if service == "framebuffer:":
        from harness.sim.framebuffer import serve_framebuffer

        return lambda stream: serve_framebuffer(device, stream)
    return None


async def _shell_raw(device: DeviceState, stream: Stream, command: str) -> None:
    shell = Shell(device)
    sink = RawSink(stream)
    io = IOSet(RawSource(stream), sink, sink)
    if command.strip():
        await shell.run(command, io)
    else:
        await _interactive(shell, io)


async def _shell_v2(device: DeviceState, stream: Stream, command: str) -> None:
    shell = Shell(device)
    source = V2Source(stream)
    try:
        io = IOSet(source, V2Sink(stream, V2_STDOUT), V2Sink(stream, V2_STDERR))
        if command.strip():
            status = await shell.run(command, io)
        else:
            status = await _interactive(shell, io)
        await stream.write(_V2_HEAD.pack(V2_EXIT, 1) + bytes([status & 0xFF]))
    finally:
        with contextlib.suppress(Exception):
            source.close()


async def hang(stream: Stream) -> None:
    """Fault: accept the stream, then never answer (until the host closes it)."""
    while await stream.read():
        pass
    await asyncio.Event().wait()
