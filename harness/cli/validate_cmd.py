"""``consent-harness validate PATH…``: check scenario files without a device."""

from __future__ import annotations

from pathlib import Path

import click

from harness.errors import ScenarioError
from harness.scenario import FileReport, check_paths


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _what(report: FileReport) -> str:
    """``2 scenarios``, ``2 scenarios, 1 flow`` or ``flow, 3 steps``."""
    if report.flow_steps is not None:
        said = f"flow, {_plural(report.flow_steps, 'step')}"
        return said + (f", runs {_plural(len(report.flows), 'flow')}" if report.flows else "")
    said = _plural(len(report.scenarios), "scenario")
    return said + (f", {_plural(len(report.flows), 'flow')}" if report.flows else "")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems.")
def validate(paths: tuple[Path, ...], quiet: bool) -> None:
    """Check scenario files (or folders of them, recursively), and the flow files their
    `run_flow` steps read (a folder's unused *.flow.yaml files on their own).

    Prints `OK file (N scenarios)` for each good file and `file:line: field: message`
    for each problem. Exit status 0 when every file is good, 2 otherwise.

    """
    problems = 0
    for report in check_paths(paths):
        if report.ok:
            if not quiet:
                click.echo(f"OK {report.path} ({_what(report)})")
            continue
        for error in report.errors:
            problems += 1
            click.echo(str(error))
    if problems:
        raise ScenarioError(f"{problems} problem{'s' if problems != 1 else ''} found")
