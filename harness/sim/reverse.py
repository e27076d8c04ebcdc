"""adbd's ``reverse:`` service: device ports that lead back to the host, per connection.

``reverse:forward:[norebind:]tcp:DEVICE;tcp:HOST`` makes the device listen on DEVICE; each
connection there becomes a stream the device opens to the adb server (``tcp:HOST``), which
connects on the host. The simulated device's network is the host's loopback (its apps
are host processes), so the device side listens on 127.0.0.1. As in adbd, the rules live
on the ADB connection and go away with it. Replies are adbd's: ``OKAY`` (plus the port for
``tcp:0``), ``FAIL`` + message, or the length-prefixed list.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.sim.transport import AdbConnection, Stream

log = logging.getLogger(__name__)


def _block(text: str) -> bytes:
    data = text.encode()
    return f"{len(data):04x}".encode() + data


def _tcp_port(spec: str) -> int | None:
    kind, _, port = spec.partition(":")
    if kind != "tcp" or not port.isdigit() or int(port) > 65535:
        return None
    return int(port)


class ReverseTable:
    """The reverse rules of one ADB connection: device spec → (host spec, listener)."""

    def __init__(self, conn: AdbConnection, name: str) -> None:
        self.conn = conn
        self.name = name  # what adbd lists as the transport, e.g. "host-3"
        self.rules: dict[str, tuple[str, asyncio.Server]] = {}

    async def handle(self, request: str, stream: Stream) -> None:
        await stream.write(await self._reply(request))

    async def _reply(self, request: str) -> bytes:
        if request == "list-forward":
            return _block("".join(f"{self.name} {device} {host}\n"
                                  for device, (host, _) in self.rules.items()))
        if request == "killforward-all":
            self.close()
            return b"OKAY"
        if request.startswith("killforward:"):
            device_spec = request[len("killforward:"):]
            rule = self.rules.pop(device_spec, None)
            if rule is None:
                return b"FAIL" + _block(f"listener '{device_spec}' not found")
            rule[1].close()
            return b"OKAY"
        if request.startswith("forward:"):
            return await self._forward(request[len("forward:"):])
        return b"FAIL" + _block(f"unknown reverse request '{request}'")

    async def _forward(self, spec: str) -> bytes:
        norebind = spec.startswith("norebind:")
        if norebind:
            spec = spec[len("norebind:"):]
        device_spec, sep, host_spec = spec.partition(";")
        if not sep or not host_spec:
            return b"FAIL" + _block("bad forward: " + spec)
        port = _tcp_port(device_spec)
        if port is None:
            return b"FAIL" + _block(f"cannot bind listener: the simulated device supports only "
                                    f"tcp:PORT on its side, not '{device_spec}'")
        if device_spec in self.rules:
            if norebind:
                return b"FAIL" + _block("cannot rebind existing socket")
            self.rules[device_spec] = (host_spec, self.rules[device_spec][1])
            return b"OKAY"
        key = [device_spec]  # tcp:0 is renamed to the port it got, before any accept runs
        try:
            server = await asyncio.start_server(
                lambda r, w: self._accept(key[0], r, w), "127.0.0.1", port)
        except OSError as exc:
            return b"FAIL" + _block(f"cannot bind listener: {exc.strerror or exc}")
        bound = server.sockets[0].getsockname()[1]
        key[0] = f"tcp:{bound}"
        self.rules[key[0]] = (host_spec, server)
        return b"OKAY" + (_block(str(bound)) if port == 0 else b"")

    async def _accept(self, device_spec: str, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        from harness.sim.transport import StreamClosed

        try:
            rule = self.rules.get(device_spec)
            if rule is None:
                return
            host_spec = rule[0]  # looked up now: a rebind changes where new connections go
            stream = await self.conn.open_to_host(host_spec)
            if stream is None:
                return  # the host refused (nothing listens there)
            await _pump(reader, writer, stream)
        except (StreamClosed, ConnectionError) as exc:
            log.debug("reverse connection ended: %s", exc)
        finally:
            writer.close()

    def close(self) -> None:
        for _, server in self.rules.values():
            server.close()
        self.rules.clear()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                stream: Stream) -> None:
    async def to_host() -> None:
        while data := await reader.read(64 * 1024):
            await stream.write(data)
        stream.close()

    async def to_device() -> None:
        while data := await stream.read():
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.write_eof()

    tasks = [asyncio.ensure_future(to_host()), asyncio.ensure_future(to_device())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        stream.close()


async def serve_tcp(port: int, stream: Stream) -> None:
    """adbd's ``tcp:PORT`` service (the device side of ``adb forward``): connect to PORT on
    the device — the host's loopback, where the simulated device's apps listen — and pump.
    Nothing listening there closes the stream, as adbd does."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError as exc:
        log.debug("tcp:%d: %s", port, exc)
        return
    try:
        await _pump(reader, writer, stream)
    finally:
        writer.close()
