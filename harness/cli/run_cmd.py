"""``consent-harness run``: a suite of scenario files on devices, with a report folder."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from harness.cli._devices import provide_devices, with_device_options
from harness.cli._table import verdict_table
from harness.errors import InputError
from harness.model import ScenarioResult, Verdict
from harness.reports import RunFolder, write_reports
from harness.runner import Progress, RunOptions, is_violation, run_suite
from harness.scenario import Scenario, load_scenarios

DEFAULT_REPORT = "consent-harness-report"
#: Exit status of a run stopped by SIGINT/SIGTERM (its report folder is still written).
INTERRUPTED_EXIT = 130


def scenario_ok(result: ScenarioResult, fail_on: Verdict) -> bool:
    """A scenario with ``expect`` passes when its expectation holds (a violation it
    expects is what the suite pins down); without one, when nothing reached ``fail_on``."""
    if result.verdict is Verdict.ERROR:
        return False
    if result.expect:
        return not result.mismatches
    return not is_violation(result.verdict, fail_on)


def exit_status(results: list[ScenarioResult], fail_on: Verdict) -> int:
    if any(r.verdict is Verdict.ERROR and not (r.expect and not r.mismatches) for r in results):
        return 3
    return 0 if all(scenario_ok(r, fail_on) for r in results) else 1


def _select(scenarios: list[Scenario], tags: tuple[str, ...]) -> list[Scenario]:
    if not tags:
        return scenarios
    wanted = set(tags)
    return [s for s in scenarios if wanted & set(s.tags)]


@click.command(name="run")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_device_options
@click.option("--report", "report_dir", type=click.Path(path_type=Path),
              default=Path(DEFAULT_REPORT), show_default=True,
              help="Folder for the report (created; a previous report there is replaced).")
@click.option("--tag", "tags", multiple=True, metavar="T",
              help="Run only scenarios with this tag (repeat for any of several).")
@click.option("--fail-on", type=click.Choice(["fail", "inconclusive"]), default="inconclusive",
              show_default=True,
              help="Lowest verdict that fails a scenario that has no `expect:` (by default a "
                   "scenario whose dialog was never found, or whose app died, fails the run).")
@click.option("--reveal-values", is_flag=True,
              help="Keep identifier values (IMEI, ANDROID_ID, location…) in traces "
                   "instead of salted hashes.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary table.")
def run(
    paths: tuple[Path, ...],
    devices: tuple[str, ...],
    sim: int | None,
    adb: str | None,
    report_dir: Path,
    tags: tuple[str, ...],
    fail_on: str,
    reveal_values: bool,
    quiet: bool,
) -> int:
    """Run scenario files (default: ./scenarios) and score them.

    With no --device, the built-in simulated device starts with the bundled sim apps.
    Exit status: 0 all scenarios met their expectations (or had no violation), 1 a
    violation or an expectation mismatch, 2 bad input, 3 infrastructure failure, 130
    interrupted (SIGINT/SIGTERM; the report of what ran is still written and sealed).
    """
    if not paths:
        default = Path("scenarios")
        if not default.is_dir():
            raise InputError("no scenario files given, and there is no ./scenarios folder")
        paths = (default,)
    scenarios: list[Scenario] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", path=str(path))
        scenarios.extend(load_scenarios(path))
    scenarios = _select(scenarios, tags)
    if not scenarios:
        raise InputError("no scenarios to run" + (f" with tags {', '.join(tags)}" if tags else ""))
    threshold = Verdict(fail_on)
    folder = RunFolder(_fresh(report_dir))

    def show(p: Progress) -> None:
        head = f"[{p.index + 1}/{p.total}] {p.scenario.name}"
        if p.result is not None:
            r = p.result
            arts = ", ".join(f"{a.article} {a.verdict.value}" for a in r.articles)
            mark = "ok" if scenario_ok(r, threshold) else "FAILED"
            line = f"{head}: {r.verdict.value} ({arts}) in {r.duration_s or 0:.1f}s — {mark}"
            for m in r.mismatches:
                line += f"\n      expectation: {m}"
            if r.error:
                line += f"\n      error: {r.error}"
            click.echo(line, err=True)
        elif not quiet:
            click.echo(f"{head} on {p.device}: {p.message}", err=True)

    click.echo(f"{len(scenarios)} scenario(s) from {', '.join(map(str, paths))}", err=True)
    with provide_devices(devices, sim, adb) as devs:
        _check_apps(scenarios, devs[0])
        summary = run_suite(scenarios, devs, folder,
                            options=RunOptions(reveal_values=reveal_values), on_progress=show)
    written = write_reports(folder, summary)
    click.echo(verdict_table(summary.scenarios, ok=lambda r: scenario_ok(r, threshold)))
    click.echo(f"report: {folder.html_path}")
    click.echo(digest_line(folder.path, written.manifest_sha256))
    sys.stdout.flush()
    if summary.interrupted:
        click.echo(f"interrupted: {len(summary.scenarios)} of {len(scenarios)} scenario(s) "
                   "ran; the report holds those", err=True)
        return INTERRUPTED_EXIT
    return exit_status(summary.scenarios, threshold)


def digest_line(folder: Path, digest: str) -> str:
    """The full manifest digest, as ``verify --digest`` takes it (a prefix would let a
    regenerated manifest pass a reviewer who only uses the CLI)."""
    return (f"manifest sha256 {digest}\n"
            f"check with: consent-harness verify {folder} --digest {digest}")


def _fresh(path: Path) -> Path:
    """An empty report folder: a previous report is replaced, anything else is kept."""
    if path.exists():
        if not path.is_dir():
            raise InputError("the report path exists and is not a folder", path=str(path))
        if any(path.iterdir()):
            previous = ("manifest.json", "summary.json", "scenarios")  # scenarios/: interrupted
            if not any((path / name).exists() for name in previous):
                raise InputError(
                    "the report folder is not empty and does not hold a previous report; "
                    "choose another --report", path=str(path))
            shutil.rmtree(path)
    return path


def _check_apps(scenarios: list[Scenario], device: object) -> None:
    """Fail fast, as bad input, on a scenario naming an app the device does not have."""
    packages = set(device.packages())  # type: ignore[attr-defined]
    for sc in scenarios:
        if sc.app and sc.apk is None and sc.app not in packages:
            raise InputError(
                f"app {sc.app!r} is not installed on {device.serial}"  # type: ignore[attr-defined]
                " (give `apk:` to install it, or install it first)",
                path=str(sc.source.file), line=sc.source.line, field="app",
            )
