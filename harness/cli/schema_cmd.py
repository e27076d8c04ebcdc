"""``consent-harness schema``: the JSON Schema of scenario files, for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from harness.errors import InputError
from harness.scenario import scenario_json_schema


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of a scenario document (one YAML document of a file).

    Point your editor's YAML support at it, e.g. with a first line
    `# yaml-language-server: $schema=scenario.schema.json`.
    """
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path=str(output)) from exc
