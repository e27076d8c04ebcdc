"""What ``run`` and ``check`` print while they run (issue 14, item 7).

* ``live`` (stderr is a terminal): a rich display, one line per device (what it is
  doing now) and a bar for the suite; a finished scenario leaves one line above it;
* ``plain`` (CI, pipes): exactly one line per finished scenario, nothing else — with
  ``-v``, also a line per step as it starts (a long observe is then not silence);
* ``quiet`` (``-q``): nothing while running; the command prints only its table.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Literal, TextIO

import click

from harness.cli._table import NAME_WIDTH, expectation, fit
from harness.model import ScenarioResult
from harness.runner import Progress

Mode = Literal["live", "plain", "quiet"]


def choose_mode(quiet: bool, stream: TextIO | None = None) -> Mode:
    if quiet:
        return "quiet"
    stream = stream or sys.stderr
    return "live" if stream.isatty() else "plain"


def scenario_line(p: Progress, ok: bool) -> str:
    """The one line a finished scenario gets: verdict, expectation, outcome in fields."""
    r: ScenarioResult = p.result  # type: ignore[assignment]
    arts = " ".join(f"{a.article}={a.verdict.value}" for a in r.articles)
    width = len(str(p.total))
    return (f"[{p.index + 1:>{width}}/{p.total}] {fit(r.scenario, NAME_WIDTH)}  "
            f"verdict={r.verdict.value} expectation={expectation(r)} {arts}  "
            f"{r.duration_s or 0:.1f}s on {p.device}  {'ok' if ok else 'FAILED'}")


class RunConsole:
    """A context manager whose :meth:`progress` is the suite's ``on_progress``."""

    def __init__(self, mode: Mode, ok: Callable[[ScenarioResult], bool], total: int,
                 *, file: TextIO | None = None, verbose: bool = False) -> None:
        self.mode = mode
        self.verbose = verbose
        self.ok = ok
        self.total = total
        self.file = file
        self._live: object | None = None

    def say(self, message: str) -> None:
        """A one-off message (device start…): not in quiet mode."""
        if self.mode != "quiet":
            self._print(message)

    def _print(self, text: str) -> None:
        if self._live is not None:
            self._rich.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(text, err=True, file=self.file)

    def __enter__(self) -> RunConsole:
        if self.mode == "live":
            from rich.console import Console, Group
            from rich.live import Live
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar
            from rich.table import Table

            self._rich = Console(file=self.file or sys.stderr)
            self._devices: dict[str, str] = {}
            self._bar = Bar(
                TextColumn("suite"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=self._rich)
            self._task = self._bar.add_task("suite", total=self.total)
            board = self

            class _Devices:
                def __rich__(self) -> Table:
                    grid = Table.grid(padding=(0, 2))
                    for serial, text in board._devices.items():
                        grid.add_row(serial, text)
                    return grid

            live = Live(Group(_Devices(), self._bar), console=self._rich,
                        refresh_per_second=4, transient=True)
            live.__enter__()
            self._live = live
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._live is not None:
            self._live.__exit__(kind, exc, tb)  # type: ignore[attr-defined]
            self._live = None

    def progress(self, p: Progress) -> None:
        if self.mode == "quiet":
            return
        if p.result is not None:
            self._print(scenario_line(p, self.ok(p.result)))
            if self._live is not None:
                self._bar.advance(self._task)
                self._devices[p.device] = "idle"
        elif self._live is not None:
            self._devices[p.device] = f"{fit(p.scenario.name, NAME_WIDTH)} — {p.message}"
        elif self.verbose:
            self._print(f"[{p.index + 1}/{p.total}] {p.scenario.name} on {p.device}: "
                        f"{p.message}")
