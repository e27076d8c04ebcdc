"""Fault control channel: JSON Lines over loopback TCP to the device process.

Faults are switched on from the test side (:class:`SimControl`), never through magic
shell commands, so nothing an app or a harness run does can trigger them.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.sim.errors import SimulatorError
from harness.sim.packages import valid_package

if TYPE_CHECKING:
    from harness.sim.device import SimDevice

Op = Literal["ping", "status", "drop_connection", "hang_next_stream", "kill_app",
             "malform_next_dump", "ui_delay", "suppress_dialogs", "clear_faults"]


class ControlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: Op
    serial: str = ""
    package: str = ""
    ms: int = Field(default=0, ge=0, le=600_000)
    on: bool = True


class ControlServer:
    def __init__(self, devices: list[SimDevice]) -> None:
        self.devices = {d.serial: d for d in devices}
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self, port: int = 0) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                try:
                    reply: dict[str, Any] = {"ok": True, "result": await self._do(line)}
                except (ValidationError, ValueError, SimulatorError) as exc:
                    reply = {"ok": False, "error": str(exc).splitlines()[0]}
                writer.write(json.dumps(reply).encode() + b"\n")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _do(self, line: bytes) -> Any:
        req = ControlRequest.model_validate(json.loads(line))
        if req.op == "ping":
            return sorted(self.devices)
        device = self.devices.get(req.serial)
        if device is None:
            raise SimulatorError(f"no device {req.serial!r}; devices: {sorted(self.devices)}")
        faults = device.faults
        if req.op == "status":
            return {
                "serial": device.serial,
                "apps": {pkg: {"pid": app.pid, "windows": len(app.windows),
                               "connected": app.writer is not None}
                         for pkg, app in device.procs.apps.items()},
                "front": (front.package if (front := device.procs.front()) else None),
                "connections": len(device.connections),
                "streams": sum(len(conn.streams) for conn in device.connections),
                "faults": {"hang_next_stream": faults.hang_next_stream,
                           "malform_next_dump": faults.malform_next_dump,
                           "ui_delay_ms": faults.ui_delay_ms,
                           "suppress_dialogs": faults.suppress_dialogs},
            }
        if req.op == "drop_connection":
            return device.drop_connections(req.ms)
        if req.op == "hang_next_stream":
            faults.hang_next_stream = req.on
        elif req.op == "kill_app":
            if not valid_package(req.package):
                raise SimulatorError(f"bad package name {req.package!r}")
            app = device.procs.apps.get(req.package)
            if app is None:
                raise SimulatorError(f"{req.package} is not running")
            device.procs.kill(req.package)
            await app.exited.wait()
            return app.pid
        elif req.op == "malform_next_dump":
            faults.malform_next_dump = req.on
        elif req.op == "ui_delay":
            faults.ui_delay_ms = req.ms
        elif req.op == "suppress_dialogs":
            faults.suppress_dialogs = req.on
        elif req.op == "clear_faults":
            faults.clear()
        return None


class SimControl:
    """Client side of the control channel, for one device (blocking, for tests)."""

    def __init__(self, host: str, port: int, serial: str, timeout: float = 30.0) -> None:
        self.address = (host, port)
        self.serial = serial
        self.timeout = timeout

    def _call(self, op: str, **fields: Any) -> Any:
        request = json.dumps({"op": op, "serial": self.serial, **fields}).encode() + b"\n"
        try:
            with socket.create_connection(self.address, timeout=self.timeout) as sock:
                sock.sendall(request)
                reply = b""
                while not reply.endswith(b"\n"):
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
        except OSError as exc:
            raise SimulatorError(f"simulator control channel unreachable: {exc}") from exc
        try:
            data = json.loads(reply)
        except ValueError as exc:
            raise SimulatorError(f"bad reply from simulator control: {reply[:200]!r}") from exc
        if not data.get("ok"):
            raise SimulatorError(f"simulator control {op}: {data.get('error')}")
        return data.get("result")

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("status")
        return result

    def drop_connection(self, offline_ms: int = 0) -> int:
        """Close the device's ADB TCP connections now. The port keeps listening, but for
        ``offline_ms`` it hangs up on reconnects, so the device stays offline that long."""
        return int(self._call("drop_connection", ms=offline_ms))

    def hang_next_stream(self, on: bool = True) -> None:
        """The next service opened on this device is accepted and never answered."""
        self._call("hang_next_stream", on=on)

    def kill_app(self, package: str) -> int:
        """SIGKILL a running app; returns its pid once it is gone."""
        return int(self._call("kill_app", package=package))

    def malform_next_dump(self, on: bool = True) -> None:
        self._call("malform_next_dump", on=on)

    def delay_ui(self, ms: int) -> None:
        """Every ``uiautomator dump`` waits ``ms`` first (0 turns it off)."""
        self._call("ui_delay", ms=ms)

    def suppress_dialogs(self, on: bool = True) -> None:
        """Drop the apps' dialog and popup windows from the screen."""
        self._call("suppress_dialogs", on=on)

    def clear_faults(self) -> None:
        self._call("clear_faults")
