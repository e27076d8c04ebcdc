"""One ADB connection (host ⇄ simulated adbd): handshake, streams, flow control.

Flow control is adb's classic one-message window: after each WRTE we wait for the
host's OKAY before sending the next one, and we acknowledge a host WRTE only when the
service has consumed it, which gives the host back-pressure on large pushes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable

from harness.sim.reverse import ReverseTable
from harness.sim.state import DeviceState
from harness.sim.wire import (
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_VERSION,
    A_WRTE,
    MAX_PAYLOAD,
    Message,
    WireError,
    read_message,
)

log = logging.getLogger(__name__)

Handler = Callable[["Stream"], Awaitable[None]]
#: service name (``shell:…``, ``sync:``…) → its handler, None to refuse the stream
ServiceOpener = Callable[[str], "Handler | None"]
FEATURES = ("shell_v2", "cmd", "stat_v2", "ls_v2", "fixed_push_mkdir",
            "fixed_push_symlink_timestamp", "apex")


def banner(props: dict[str, str]) -> bytes:
    """The CNXN payload adbd sends: the product's identity and the features it speaks."""
    return (f"device::ro.product.name={props['ro.product.name']};"
            f"ro.product.model={props['ro.product.model']};"
            f"ro.product.device={props['ro.product.device']};"
            f"features={','.join(FEATURES)}").encode()


class StreamClosed(Exception):
    """The host closed the stream (or the connection) while we were using it."""


class Stream:
    """A bidirectional byte stream multiplexed on a connection."""

    def __init__(self, conn: AdbConnection, local_id: int, remote_id: int) -> None:
        self.conn = conn
        self.local_id = local_id
        self.remote_id = remote_id
        self._incoming: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._can_send = asyncio.Event()
        self._can_send.set()
        self.closed = False
        self._eof = False

    # -- host -> device -----------------------------------------------------------
    def _on_data(self, data: bytes) -> None:
        self._incoming.put_nowait(data)

    def _on_okay(self) -> None:
        self._can_send.set()

    def _on_close(self) -> None:
        self.closed = True
        self._can_send.set()
        self._incoming.put_nowait(None)

    async def read(self) -> bytes:
        """Next chunk the host wrote; b"" once the stream is closed."""
        if self._eof:
            return b""
        data = await self._incoming.get()
        if data is None:
            self._eof = True
            return b""
        # Acknowledge only now, so a slow consumer slows the host down.
        self.conn.send(Message(A_OKAY, self.local_id, self.remote_id))
        return data

    # -- device -> host -----------------------------------------------------------
    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        step = self.conn.max_payload
        for start in range(0, len(view), step):
            await self._can_send.wait()
            if self.closed:
                raise StreamClosed()
            self._can_send.clear()
            self.conn.send(Message(A_WRTE, self.local_id, self.remote_id,
                                   bytes(view[start:start + step])))
            await self.conn.drain()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.conn.send(Message(A_CLSE, self.local_id, self.remote_id))
            self.conn.forget(self.local_id)


class AdbConnection:
    """Serves one TCP connection from an adb server."""

    _ids = itertools.count(1)

    def __init__(self, state: DeviceState, open_service: ServiceOpener,
                 reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.state = state
        self.open_service = open_service
        self.reader = reader
        self.writer = writer
        self.max_payload = MAX_PAYLOAD
        self.streams: dict[int, Stream] = {}
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.reverse = ReverseTable(self, f"host-{next(self._ids)}")

    def send(self, message: Message) -> None:
        if not self.writer.is_closing():
            self.writer.write(message.pack())

    async def drain(self) -> None:
        try:
            await self.writer.drain()
        except ConnectionError as exc:
            raise StreamClosed() from exc

    async def open_to_host(self, service: str) -> Stream | None:
        """A stream the device opens to the adb server (``reverse``); None if refused."""
        local_id = next(self._ids)
        stream = Stream(self, local_id, 0)
        stream._can_send.clear()  # nothing may be sent before the host's OKAY
        self.streams[local_id] = stream
        self.send(Message(A_OPEN, local_id, 0, service.encode() + b"\0"))
        await self.drain()
        await stream._can_send.wait()
        if stream.closed:
            self.forget(local_id)
            return None
        return stream

    def forget(self, local_id: int) -> None:
        self.streams.pop(local_id, None)
        self.tasks.pop(local_id, None)

    def abort(self) -> None:
        """Drop the TCP connection at once (a fault, or shutdown)."""
        transport = self.writer.transport
        transport.abort()

    async def serve(self) -> None:
        try:
            while True:
                message = await read_message(self.reader)
                self._dispatch(message)
        except (asyncio.IncompleteReadError, ConnectionError, WireError) as exc:
            log.debug("connection ended: %s", exc)
        finally:
            self._close_all()
            self.abort()

    def _close_all(self) -> None:
        self.reverse.close()
        for stream in list(self.streams.values()):
            stream._on_close()
        for task in list(self.tasks.values()):
            task.cancel()
        self.streams.clear()
        self.tasks.clear()

    def _dispatch(self, message: Message) -> None:
        cmd = message.command
        if cmd == A_CNXN:
            # A (re)connect resets every stream, as adbd does.
            self._close_all()
            self.max_payload = max(4096, min(MAX_PAYLOAD, message.arg1))
            self.send(Message(A_CNXN, A_VERSION, MAX_PAYLOAD, banner(self.state.props)))
        elif cmd == A_OPEN:
            self._open(message)
        elif cmd == A_OKAY:
            stream = self.streams.get(message.arg1)
            if stream is not None:
                if stream.remote_id == 0:
                    stream.remote_id = message.arg0
                stream._on_okay()
        elif cmd == A_WRTE:
            stream = self.streams.get(message.arg1)
            if stream is None:
                self.send(Message(A_CLSE, 0, message.arg0))
            else:
                stream._on_data(message.data)
        elif cmd == A_CLSE:
            stream = self.streams.pop(message.arg1, None)
            task = self.tasks.pop(message.arg1, None)
            if stream is not None:
                stream._on_close()
            if task is not None:
                task.cancel()
        # AUTH/SYNC and unknown commands are ignored: we never ask for AUTH.

    def _open(self, message: Message) -> None:
        service = message.data.rstrip(b"\0").decode("utf-8", "replace")
        handler = self.open_service(service)
        if handler is None:
            self.send(Message(A_CLSE, 0, message.arg0))
            return
        local_id = next(self._ids)
        stream = Stream(self, local_id, message.arg0)
        self.streams[local_id] = stream
        self.send(Message(A_OKAY, local_id, message.arg0))
        self.tasks[local_id] = asyncio.get_running_loop().create_task(
            self._run(stream, handler, service))

    async def _run(self, stream: Stream, handler: Handler, service: str) -> None:
        try:
            await handler(stream)
        except (StreamClosed, asyncio.CancelledError):
            pass
        except Exception:  # noqa: BLE001 - a broken service must not take the device down
            log.exception("service %r failed", service)
        finally:
            with contextlib.suppress(Exception):
                stream.close()
