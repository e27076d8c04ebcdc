"""The device's log buffer, printed in logcat's ``threadtime`` format."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass

LEVELS = "VDIWEFA"


@dataclass(frozen=True)
class LogEntry:
    ts: float
    pid: int
    tid: int
    level: str
    tag: str
    msg: str

    def threadtime(self) -> str:
        lt = time.localtime(self.ts)
        ms = int((self.ts % 1) * 1000)
        stamp = time.strftime("%m-%d %H:%M:%S", lt) + f".{ms:03d}"
        lines = self.msg.splitlines() or [""]
        return "".join(f"{stamp} {self.pid:5d} {self.tid:5d} {self.level} {self.tag:<8}: {line}\n"
                       for line in lines)


class LogBuffer:
    """A bounded ring of log entries; followers are woken on every new entry."""

    def __init__(self, capacity: int = 20000) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=capacity)
        self._serial = 0  # count of entries ever added, so followers know what is new
        self._changed: asyncio.Condition | None = None

    def _cond(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    def add(self, pid: int, level: str, tag: str, msg: str, tid: int | None = None) -> None:
        level = level[:1].upper() if level and level[:1].upper() in LEVELS else "I"
        # Control characters from apps are made visible, never interpreted by a terminal.
        clean = "".join(c if c == "\n" or c >= " " else "?" for c in msg)
        tag_clean = "".join(c if c >= " " else "?" for c in tag)[:64]
        self._entries.append(LogEntry(time.time(), pid, tid if tid is not None else pid,
                                      level, tag_clean, clean))
        self._serial += 1
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        loop.create_task(self._notify())

    async def _notify(self) -> None:
        cond = self._cond()
        async with cond:
            cond.notify_all()

    def clear(self) -> None:
        self._entries.clear()

    def dump(self) -> str:
        return "".join(e.threadtime() for e in self._entries)

    def since(self, serial: int) -> tuple[list[LogEntry], int]:
        missing = self._serial - serial
        entries = list(self._entries)[-missing:] if 0 < missing else []
        return entries, self._serial

    @property
    def serial(self) -> int:
        return self._serial

    async def wait_new(self, serial: int) -> None:
        cond = self._cond()
        async with cond:
            await cond.wait_for(lambda: self._serial != serial)
