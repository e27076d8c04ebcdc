"""``consent-harness validate PATH…``: check scenario files without a device."""

from __future__ import annotations

from pathlib import Path

import click

from harness.errors import ScenarioError
from harness.scenario import check_paths


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems.")
def validate(paths: tuple[Path, ...], quiet: bool) -> None:
    """Check scenario files (or folders of them, recursively).

    Prints `OK file (N scenarios)` for each good file and `file:line: field: message`
    for each problem. Exit status 0 when every file is good, 2 otherwise.

    """
    problems = 0
    for report in check_paths(paths):
        if report.ok:
            if not quiet:
                n = len(report.scenarios)
                click.echo(f"OK {report.path} ({n} scenario{'s' if n != 1 else ''})")
            continue
        for error in report.errors:
            problems += 1
            click.echo(str(error))
    if problems:
        raise ScenarioError(f"{problems} problem{'s' if problems != 1 else ''} found")
