"""``consent-harness keygen KEY``: an Ed25519 key pair for signing run folders."""

from __future__ import annotations

from pathlib import Path

import click

from harness.reports.signing import generate_key_pair


@click.command()
@click.argument("key", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--public",
    "public",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the public key (default: KEY.pub).",
)
def keygen(key: Path, public: Path | None) -> None:
    """Make an Ed25519 key pair (PEM): KEY (private, mode 0600) and KEY.pub.

    Sign a run with the private key (`run`/`check --sign KEY`); give reviewers the
    public key, who check with `consent-harness verify DIR --pubkey KEY.pub`. Existing
    files are never overwritten.
    """
    public_path = public if public is not None else key.with_name(key.name + ".pub")
    fingerprint = generate_key_pair(key, public_path)
    click.echo(f"private key: {key} (keep it secret)")
    click.echo(f"public key:  {public_path}")
    click.echo(f"fingerprint: sha256:{fingerprint}")
