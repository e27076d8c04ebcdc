"""``consent-harness verify DIR``: is a run folder still what its manifest says?"""

from __future__ import annotations

from pathlib import Path

import click

from harness.reports.manifest import manifest_digest, manifest_file_count, verify_manifest


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=True, dir_okay=True))
@click.option(
    "--digest",
    metavar="SHA256",
    help="SHA-256 of manifest.json recorded when the run was written (detached digest); "
    "without it a rewritten manifest cannot be told from the original.",
)
def verify(folder: Path, digest: str | None) -> None:
    """Check a run folder against its manifest.json.

    Reports every file that was changed, deleted or added since the run was written.
    Exit status: 0 intact, 1 tampered, 2 not a run folder.
    """
    problems = verify_manifest(folder, digest=digest)
    if problems:
        for problem in problems:
            click.echo(f"TAMPERED {problem}")
        click.echo(f"{folder}: {len(problems)} problem(s)", err=True)
        # SystemExit, not ctx.exit(): main() runs click with standalone_mode=False, where
        # click turns ctx.exit(1) into a return value that main() drops.
        raise SystemExit(1)
    count = manifest_file_count(folder)
    click.echo(f"OK {count} files match manifest.json (manifest sha256 {manifest_digest(folder)})")
