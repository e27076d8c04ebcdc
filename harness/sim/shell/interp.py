"""Run parsed command lines against a device."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import re
import signal
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness.sim.errors import SimulatorError
from harness.sim.shell.parse import Command, Pipeline, ShellSyntaxError, parse
from harness.sim.shell.streams import (
    BufferSink,
    BytesSource,
    FileSink,
    NullSink,
    Sink,
    Source,
    read_all,
)
from harness.sim.state import DeviceState

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class CommandError(Exception):
    """A command failed with a message for stderr and an exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class IOSet:
    stdin: Source
    stdout: Sink
    stderr: Sink


@dataclass
class Ctx:
    device: DeviceState
    shell: Shell
    io: IOSet
    argv: list[str]
    _closers: list[FileSink] = field(default_factory=list)

    @property
    def args(self) -> list[str]:
        return self.argv[1:]

    async def out(self, text: str | bytes) -> None:
        await self.io.stdout.write(text.encode() if isinstance(text, str) else text)

    async def err(self, text: str) -> None:
        await self.io.stderr.write(text.encode())

    async def stdin_bytes(self) -> bytes:
        return await read_all(self.io.stdin)

    def host(self, path: str) -> Path:
        return self.device.fs.host(path, self.shell.cwd)


#: Signals whose default action is to do nothing (signal(7)).
_IGNORED = {signal.SIGCHLD, signal.SIGWINCH, signal.SIGURG, signal.SIGCONT}
_PIDS = itertools.count(31000)
#: The device's background jobs by pid, across shell sessions: `kill` from another
#: `adb shell` reaches them, as kill(2) reaches any process of the shell user.
_JOBS: weakref.WeakKeyDictionary[DeviceState, dict[int, Job]] = weakref.WeakKeyDictionary()
_CURRENT: contextvars.ContextVar[Job | None] = contextvars.ContextVar("job", default=None)


class Job:
    """A background pipeline (``cmd &``): its pid, and the signals its command catches."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.task: asyncio.Task[int] | None = None
        #: signals the running command handles itself (screenrecord: SIGINT, SIGHUP)
        self.catching: frozenset[int] = frozenset()
        self.caught = asyncio.Event()
        self.signal = 0

    def deliver(self, sig: int) -> bool:
        """kill(2): False when the job is gone; a caught signal wakes its command, an
        ignored one does nothing, any other ends it (status 128+sig)."""
        if self.task is None or self.task.done():
            return False
        if sig == 0 or sig in _IGNORED:
            return True
        self.signal = sig
        if sig in self.catching:
            self.caught.set()
        else:
            self.task.cancel()
        return True


def current_job() -> Job | None:
    """The background job the calling command runs in, or None in the foreground."""
    return _CURRENT.get()


def device_jobs(device: DeviceState) -> dict[int, Job]:
    return _JOBS.setdefault(device, {})


class Shell:
    """One shell session; keeps ``$?`` and the working directory between lines."""

    def __init__(self, device: DeviceState, name: str = "/system/bin/sh",
                 args: list[str] | None = None) -> None:
        self.device = device
        self.cwd = "/"
        self.jobs: dict[int, Job] = {}
        self._unread: tuple[Source, bytes] | None = None
        self.env: dict[str, str] = {
            "?": "0", "$": "1", "#": "0", "HOME": "/", "PATH":
            "/product/bin:/apex/com.android.runtime/bin:/system/bin:/system/xbin:/vendor/bin",
            "ANDROID_DATA": "/data", "EXTERNAL_STORAGE": "/sdcard", "USER": "shell",
            "SHELL": "/system/bin/sh", "HOSTNAME": "sim", "TMPDIR": "/data/local/tmp",
        }
        self.set_args(name, args or [])

    def set_args(self, name: str, args: list[str]) -> None:
        """Positional parameters: ``$0``, ``$1``…, ``$#``, ``$@``/``$*``."""
        for key in [k for k in self.env if k.isdigit()]:
            del self.env[key]
        self.env.update({"0": name, "#": str(len(args)), "@": " ".join(args),
                         "*": " ".join(args)})
        self.env.update({str(i): arg for i, arg in enumerate(args[:9], start=1)})

    def child(self, name: str, args: list[str]) -> Shell:
        """The shell that ``sh SCRIPT ARGS`` starts: the environment and directory are
        inherited, the positional parameters and jobs are its own."""
        sub = Shell(self.device, name, args)
        sub.cwd = self.cwd
        sub.env.update({k: v for k, v in self.env.items()
                        if not (k.isdigit() or k in "?$#!@*")})
        return sub

    def push_back(self, source: Source, data: bytes) -> None:
        """Bytes ``read`` took from ``source`` past its line, for the next ``read``."""
        self._unread = (source, data) if data else None

    async def read_chunk(self, source: Source) -> bytes:
        if self._unread is not None and self._unread[0] is source:
            data, self._unread = self._unread[1], None
            return data
        return await source.read()

    async def run(self, line: str, io: IOSet) -> int:
        try:
            steps = parse(line)
        except ShellSyntaxError as exc:
            await io.stderr.write(f"/system/bin/sh: {exc}\n".encode())
            self.env["?"] = "2"
            return 2
        status = int(self.env["?"])
        try:
            for step in steps:
                if step.joiner == "&&" and status != 0:
                    continue
                if step.joiner == "||" and status == 0:
                    continue
                if step.background:
                    self._start_job(step.pipeline, io)
                    status = 0
                    continue
                status = await self._pipeline(step.pipeline, io)
                self.env["?"] = str(status)
        except ShellExit as exc:
            status = exc.code
            self.env["?"] = str(status)
        return status

    def _start_job(self, pipeline: Pipeline, io: IOSet) -> Job:
        job = Job(next(_PIDS))
        # A non-interactive sh gives background jobs /dev/null as stdin.
        job_io = IOSet(BytesSource(), io.stdout, io.stderr)

        async def run() -> int:
            _CURRENT.set(job)  # the task runs in a copy of the context: this job's only
            return await self._pipeline(pipeline, job_io)

        job.task = asyncio.get_running_loop().create_task(run())
        job.task.add_done_callback(lambda _: device_jobs(self.device).pop(job.pid, None))
        self.jobs[job.pid] = job
        device_jobs(self.device)[job.pid] = job
        self.env["!"] = str(job.pid)
        return job

    async def wait_job(self, pid: int) -> int:
        """``wait PID``: the job's exit status (127 when it is not this shell's child)."""
        job = self.jobs.pop(pid, None)
        if job is None or job.task is None:
            return 127
        try:
            return await asyncio.shield(job.task)
        except asyncio.CancelledError:
            if job.task.cancelled() and job.signal:
                return 128 + job.signal  # ended by a signal it does not catch
            raise

    async def _pipeline(self, pipeline: Pipeline, io: IOSet) -> int:
        stdin: Source = io.stdin
        status = 0
        last = len(pipeline.commands) - 1
        for i, command in enumerate(pipeline.commands):
            # Stages run one after another; only the last one streams to the client.
            sink: Sink = io.stdout if i == last else BufferSink()
            status = await self._command(command, IOSet(stdin, sink, io.stderr))
            if isinstance(sink, BufferSink):
                stdin = BytesSource(bytes(sink.data))
        return status

    def _open_sink(self, target: str, append: bool) -> Sink:
        if target == "/dev/null":
            return NullSink()
        path = self.device.fs.host(target, self.cwd)
        if path.is_dir():
            raise CommandError(f"/system/bin/sh: can't create {target}: Is a directory")
        if not path.parent.is_dir():
            raise CommandError(f"/system/bin/sh: can't create {target}: No such file or directory")
        return FileSink(path, append)

    async def run_argv(self, argv: list[str], io: IOSet) -> int:
        """Run one expanded command (after its redirections are set up)."""
        from harness.sim.shell.commands import COMMANDS

        assigned: dict[str, str] = {}
        while argv and _ASSIGNMENT.match(argv[0]):
            name, _, value = argv[0].partition("=")
            assigned[name] = value
            argv = argv[1:]
        if not argv:
            self.env.update(assigned)  # NAME=value alone sets a shell variable
            return 0
        saved = {name: self.env.get(name) for name in assigned}
        self.env.update(assigned)  # NAME=value cmd: for this command only
        try:
            return await self._dispatch(argv, io, COMMANDS)
        finally:
            for name, old in saved.items():
                if old is None:
                    self.env.pop(name, None)
                else:
                    self.env[name] = old

    async def _dispatch(self, argv: list[str], cio: IOSet,
                        commands: dict[str, Callable[[Ctx], Awaitable[int]]]) -> int:
        name = argv[0].rsplit("/", 1)[-1] if argv[0].startswith("/system/") else argv[0]
        if name == "exit":
            raise ShellExit(int(argv[1]) & 0xFF if len(argv) > 1 and argv[1].isdigit()
                            else int(self.env["?"]))
        if name == "cd":
            target = argv[1] if len(argv) > 1 else "/"
            if not self.device.fs.host(target, self.cwd).is_dir():
                raise CommandError(f"/system/bin/sh: cd: {target}: No such file or directory", 2)
            self.cwd = self.device.fs.normalize(target, self.cwd)
            return 0
        func = commands.get(name)
        if func is None:
            await cio.stderr.write(f"/system/bin/sh: {name}: inaccessible or not found\n"
                                   .encode())
            return 127
        try:
            return await func(Ctx(self.device, self, cio, [name, *argv[1:]]))
        except CommandError as exc:
            if str(exc):
                await cio.stderr.write(str(exc).encode() + b"\n")
            return exc.code
        except SimulatorError as exc:
            await cio.stderr.write(f"{name}: {exc}\n".encode())
            return 1
        except (OSError, UnicodeError) as exc:
            # A file-system surprise is the command's failure, never the stream's.
            await cio.stderr.write(f"{name}: {exc}\n".encode())
            return 1

    async def _command(self, command: Command, io: IOSet) -> int:
        argv = [w.expand(self.env) for w in command.words]
        fds: dict[int, Sink | Source] = {0: io.stdin, 1: io.stdout, 2: io.stderr}
        files: list[FileSink] = []
        try:
            for redirect in command.redirects:
                target = redirect.target.expand(self.env) if redirect.target else ""
                if redirect.op == ">&":
                    if redirect.dup is not None and redirect.dup in (1, 2):
                        fds[redirect.fd] = fds[redirect.dup]
                    elif redirect.dup == -1:
                        fds[redirect.fd] = NullSink()
                elif redirect.op == "<":
                    if target == "/dev/null":
                        fds[redirect.fd] = BytesSource()
                    else:
                        path = self.device.fs.host(target, self.cwd)
                        if not path.is_file():
                            raise CommandError(
                                f"/system/bin/sh: can't open {target}: No such file or directory")
                        fds[redirect.fd] = BytesSource(path.read_bytes())
                else:
                    sink = self._open_sink(target, redirect.op == ">>")
                    if isinstance(sink, FileSink):
                        files.append(sink)
                    fds[redirect.fd] = sink
            cio = IOSet(stdin=fds[0], stdout=fds[1], stderr=fds[2])  # type: ignore[arg-type]
            return await self.run_argv(argv, cio)
        except CommandError as exc:
            await io.stderr.write(str(exc).encode() + b"\n")
            return exc.code
        finally:
            for f in files:
                with contextlib.suppress(OSError):
                    f.close()


async def run_script(ctx: Ctx, path: str, args: list[str]) -> int:
    """``sh SCRIPT [ARG…]``: the file's lines in a child shell, ``$1``… set to the args."""
    host = ctx.host(path)
    if not host.is_file():
        await ctx.err(f"/system/bin/sh: {path}: No such file or directory\n")
        return 127
    script = host.read_bytes().decode("utf-8", "replace")
    return await ctx.shell.child(path, args).run(script, ctx.io)
