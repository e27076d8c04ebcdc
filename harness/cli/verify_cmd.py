"""``consent-harness verify DIR``: is a run folder still what its manifest says?"""

from __future__ import annotations

from pathlib import Path

import click

from harness.errors import InputError
from harness.reports.folder import MANIFEST
from harness.reports.manifest import manifest_digest, manifest_file_count, verify_manifest
from harness.reports.signing import verify_signature


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=True, dir_okay=True))
@click.option(
    "--digest",
    metavar="SHA256",
    help="SHA-256 of manifest.json recorded when the run was written (detached digest); "
    "without it (or --pubkey) a rewritten manifest cannot be told from the original.",
)
@click.option(
    "--pubkey",
    metavar="KEY",
    type=click.Path(path_type=Path, dir_okay=False),
    help="PEM public key of the expected signer: the folder must be signed by it "
    "(manifest.json.sig).",
)
def verify(folder: Path, digest: str | None, pubkey: Path | None) -> None:
    """Check a run folder against its manifest.json (and its signature, if any).

    Reports every file that was changed, deleted or added since the run was written, and
    whether manifest.json is signed: `signature: not signed`, `valid` (by the --pubkey
    key), `signed by key … (not checked)` without --pubkey, or `TAMPERED signature: …`.
    Exit status: 0 intact, 1 tampered (or not signed by the --pubkey key), 2 not a run
    folder, a manifest that cannot be read (bad JSON, too large or deep, wrong types),
    or a bad option.
    """
    problems = verify_manifest(folder, digest=digest)
    malformed = [p for p in problems if p.kind == "malformed"]
    if malformed:
        for problem in malformed:
            click.echo(f"MALFORMED {problem.path}: {problem.detail}")
        raise InputError(
            f"{MANIFEST} is not a manifest this consent-harness can check "
            f"({len(malformed)} problem{'s' if len(malformed) > 1 else ''})",
            path=str(folder),
        )
    signature = verify_signature(folder, pubkey)
    lines = [f"TAMPERED {problem}" for problem in problems]
    if not signature.ok:
        lines.append(f"TAMPERED signature: {signature.detail}")
    elif pubkey is not None and signature.state == "unsigned":
        lines.append("TAMPERED signature: not signed, but --pubkey asks for a signature")
    if lines:
        for line in lines:
            click.echo(line)
        click.echo(f"{folder}: {len(lines)} problem(s)", err=True)
        # SystemExit, not ctx.exit(): main() runs click with standalone_mode=False, where
        # click turns ctx.exit(1) into a return value that main() drops.
        raise SystemExit(1)
    count = manifest_file_count(folder)
    click.echo(f"OK {count} files match manifest.json")
    matched = " (matches --digest)" if digest is not None else ""
    click.echo(f"manifest sha256: {manifest_digest(folder)}{matched}")
    click.echo(f"signature: {signature.detail}")
    if digest is None and signature.state != "valid":
        click.echo(
            "note: without --digest or --pubkey a regenerated manifest.json cannot be told "
            "from the original"
        )
