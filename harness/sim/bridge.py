"""The device end of the app bridge: JSON Lines over loopback TCP (docs/internals.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import TYPE_CHECKING

from pydantic import ValidationError

from harness.sim.bridge_msgs import (
    APP_MESSAGE,
    Hello,
    Install,
    Log,
    PermRequest,
    StartService,
    Windows,
)
from harness.sim.packages import valid_package
from harness.sim.procs import AppProcess
from harness.sim.windows import depth_ok

if TYPE_CHECKING:
    from harness.sim.device import SimDevice

log = logging.getLogger(__name__)
MAX_LINE = 8 * 1024 * 1024


class BridgeServer:
    def __init__(self, device: SimDevice) -> None:
        self.device = device
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=MAX_LINE)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        app: AppProcess | None = None
        try:
            first = await reader.readline()
            hello = self._parse(first)
            if not isinstance(hello, Hello):
                return
            app = self._match(hello)
            if app is None:
                log.warning("bridge hello from unknown app %r pid %d", hello.pkg, hello.pid)
                return
            app.attach(writer)
            while True:
                line = await reader.readline()
                if not line:
                    break
                message = self._parse(line)
                if message is not None:
                    self._handle(app, message)
        except (ConnectionError, asyncio.LimitOverrunError, ValueError) as exc:
            log.debug("bridge connection ended: %s", exc)
        finally:
            if app is not None and app.writer is writer:
                app.writer = None
            writer.close()

    def _parse(
        self, line: bytes
    ) -> Hello | Windows | Log | PermRequest | Install | StartService | None:
        if not line.strip():
            return None
        try:
            return APP_MESSAGE.validate_python(json.loads(line))
        except (ValueError, ValidationError) as exc:
            log.warning("bad bridge message dropped: %s", str(exc).splitlines()[0])
            return None

    def _match(self, hello: Hello) -> AppProcess | None:
        if not valid_package(hello.pkg):
            return None
        app = (self.device.procs.apps.get(hello.pkg) if hello.process in (None, hello.pkg)
               else self.device.procs.service_process(hello.pkg, hello.process))
        # The pid must be the process we started (the JVM is exec'd directly); a
        # wrapper script would report a child pid, so fall back to "not yet attached".
        if app is None or (app.pid != hello.pid and app.writer is not None):
            return None
        return app

    def _handle(self, app: AppProcess,
                message: Windows | Log | PermRequest | Install | Hello | StartService) -> None:
        device = self.device
        if isinstance(message, StartService):
            device.procs.request_service(app, message.service, message.process, message.extras)
        elif isinstance(message, Windows) and not app.main:
            pass  # a service process has no windows (and no say over the screen)
        elif isinstance(message, Windows):
            windows = [w for w in message.windows if depth_ok(w.root)]
            if device.faults.suppress_dialogs:
                windows = [w for w in windows if w.type == "activity"]
            app.windows = windows
            app.reported = True
            app.handled_input = max(app.handled_input, message.input)
            device.note_animating(app.package, app.pid, message.animating)
        elif isinstance(message, Log):
            device.logcat.add(app.pid, message.level, message.tag, message.msg)
        elif isinstance(message, PermRequest) and app.main:
            device.prompts.request(app.package, message.req, message.perms)
        elif isinstance(message, Install):
            device.logcat.add(device.system_pid, "I", "PackageInstaller",
                              f"install request from {app.package}: package={message.package!r}"
                              f" source={message.source!r}")
