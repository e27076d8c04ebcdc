"""``python -m harness.sim``: the device process that :class:`SimCluster` starts.

Prints one JSON line when ready (``{"serials": [...], "control": port}``) and serves
until its stdin closes — so the devices never outlive the process that started them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

from harness.sim.errors import SimulatorError
from harness.sim.identity import DEFAULT_PROFILE, PROFILES
from harness.sim.procs import DEFAULT_LAUNCHER
from harness.sim.server import ServeOptions, SimServer, serve


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    read = asyncio.ensure_future(reader.read())
    waiter = asyncio.ensure_future(stop.wait())
    await asyncio.wait([read, waiter], return_when=asyncio.FIRST_COMPLETED)
    read.cancel()
    waiter.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.sim")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--no-apps", action="store_true")
    parser.add_argument("--launcher", default=DEFAULT_LAUNCHER)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--profile", choices=PROFILES, default=DEFAULT_PROFILE)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="sim %(levelname)s %(name)s: %(message)s")
    options = ServeOptions(port=args.port, count=args.count, preinstall=not args.no_apps,
                           launcher=args.launcher, root=args.root, profile=args.profile)

    def ready(server: SimServer) -> None:
        assert server.control is not None
        print(json.dumps({"serials": [d.serial for d in server.devices],
                          "control": server.control.port}), flush=True)

    try:
        asyncio.run(serve(options, ready, _stdin_closed))
    except SimulatorError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
