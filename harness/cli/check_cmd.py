"""``consent-harness check``: the standard scenarios for any app, for reviewers."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from harness.cli._devices import provide_devices, with_device_options
from harness.cli._table import verdict_table
from harness.cli.run_cmd import INTERRUPTED_EXIT, _fresh, digest_line, exit_status, scenario_ok
from harness.model import Verdict
from harness.reports import RunFolder, write_reports
from harness.runner import Progress, RunOptions, run_suite
from harness.runner.standard import standard_scenarios


@click.command(name="check")
@click.argument("target", metavar="PACKAGE|APK")
@with_device_options
@click.option("--report", "report_dir", type=click.Path(path_type=Path),
              default=Path("consent-harness-check"), show_default=True,
              help="Folder for the evidence (report, traces, manifest).")
@click.option("--observe", type=float, default=8.0, show_default=True,
              help="Seconds to watch after launch and after each decision.")
@click.option("--reveal-values", is_flag=True,
              help="Keep identifier values in traces instead of salted hashes.")
def check(
    target: str,
    devices: tuple[str, ...],
    sim: int | None,
    adb: str | None,
    report_dir: Path,
    observe: float,
    reveal_values: bool,
) -> int:
    """Check an installed app (PACKAGE) or an APK with the standard scenarios:
    observe without touching, agree, and refuse.

    Exit status: 0 no violation, 1 a violation or a verdict that could not be reached
    (inconclusive), 2 bad input, 3 infrastructure failure, 130 interrupted.
    """
    with tempfile.TemporaryDirectory(prefix="consent-harness-check-") as tmp:
        scenarios = standard_scenarios(target, Path(tmp), observe=observe)
        folder = RunFolder(_fresh(report_dir))

        def show(p: Progress) -> None:
            if p.result is None:
                click.echo(f"[{p.index + 1}/{p.total}] {p.scenario.name}: {p.message}", err=True)

        with provide_devices(devices, sim, adb) as devs:
            summary = run_suite(scenarios, devs, folder,
                                options=RunOptions(reveal_values=reveal_values),
                                on_progress=show)
    written = write_reports(folder, summary)
    threshold = Verdict.INCONCLUSIVE
    click.echo(verdict_table(summary.scenarios, ok=lambda r: scenario_ok(r, threshold)))
    for result in summary.scenarios:
        for rule in result.rules:
            if rule.verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.INCONCLUSIVE):
                sdks = ", ".join(f"{k} ({v})" for k, v in list(rule.sdks.items())[:3])
                click.echo(f"  {result.scenario}: {rule.rule} {rule.verdict.value} — "
                           f"{rule.reason}" + (f" [SDKs: {sdks}]" if sdks else ""))
    click.echo(f"evidence: {folder.path}")
    click.echo(digest_line(folder.path, written.manifest_sha256))
    if summary.interrupted:
        click.echo("interrupted: the evidence holds the scenarios that ran", err=True)
        return INTERRUPTED_EXIT
    return exit_status(summary.scenarios, threshold)
