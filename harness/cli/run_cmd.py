"""``consent-harness run``: a suite of scenario files on devices, with a report folder."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from harness.cli._console import RunConsole, choose_mode
from harness.cli._devices import provide_devices, with_device_options
from harness.cli._table import failure_details, verdict_table
from harness.errors import InputError
from harness.model import ScenarioResult, Verdict
from harness.reports import RunFolder, WrittenRun, resolve_lang, write_reports
from harness.runner import RunOptions, is_violation, run_suite
from harness.scenario import Scenario, load_scenarios

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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
@click.option("--verbose", "-v", is_flag=True,
              help="Off a terminal, also a line per step as it starts (on a terminal the "
                   "live display shows them).")
@click.option("--rules", "rules", multiple=True, metavar="SPEC",
              help="Rules to score: an id, a glob (7.4/*), an article (7.2) or a pack "
                   "(default, checklist, all); repeat or comma-separate (as `score --rules`).")
@click.option("--lang", "lang", type=click.Choice(["zh", "en"]), default=None,
              help="Report language (default: from the locale, LC_ALL/LC_MESSAGES/LANG).")
@click.option("--pdf", is_flag=True,
              help="Also write report.pdf (needs a headless Chromium; without one the run "
                   "still succeeds and says so).")
@click.option("--sign", "sign_key", type=click.Path(path_type=Path, dir_okay=False),
              default=None, metavar="KEYFILE",
              help="Sign manifest.json with this Ed25519 key (`consent-harness keygen`).")
def run(
    paths: tuple[Path, ...],
    devices: tuple[str, ...],
    sim: int | None,
    sim_profile: str | None,
    adb: str | None,
    report_dir: Path,
    tags: tuple[str, ...],
    fail_on: str,
    reveal_values: bool,
    quiet: bool,
    verbose: bool,
    rules: tuple[str, ...],
    lang: str | None,
    pdf: bool,
    sign_key: Path | None,
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
    report_opts = report_options(rules, lang, sign_key)
    folder = RunFolder(_fresh(report_dir))

    def ok(r: ScenarioResult) -> bool:
        return scenario_ok(r, threshold)

    mode = choose_mode(quiet)
    with RunConsole(mode, ok, len(scenarios), verbose=verbose) as console:
        console.say(f"{len(scenarios)} scenario(s) from {', '.join(map(str, paths))}")
        with provide_devices(devices, sim, adb, say=console.say,
                             profile=sim_profile) as devs:
            _check_apps(scenarios, devs[0])
            summary = run_suite(
                scenarios, devs, folder,
                options=RunOptions(reveal_values=reveal_values, rules=report_opts.rules),
                on_progress=console.progress)
    written = write_reports(folder, summary, lang=report_opts.lang, pdf=pdf,
                            reveal_values=reveal_values)
    finish_output(written, ok, quiet=quiet, signer=report_opts.signer, label="report",
                  shown=folder.html_path)
    if summary.interrupted:
        click.echo(f"interrupted: {len(summary.scenarios)} of {len(scenarios)} scenario(s) "
                   "ran; the report holds those", err=True)
        return INTERRUPTED_EXIT
    return exit_status(summary.scenarios, threshold)


class ReportOptions:
    """``--rules``/``--lang``/``--sign`` checked before anything runs (bad input: exit 2
    at once, not after minutes of scenarios)."""

    def __init__(
        self, rules: tuple[str, ...] | None, lang: str, signer: Ed25519PrivateKey | None
    ) -> None:
        self.rules = rules
        self.lang = lang
        #: the ``--sign`` key, loaded once before the run
        self.signer = signer


def report_options(
    rules: tuple[str, ...], lang: str | None, sign_key: Path | None
) -> ReportOptions:
    from harness.reports.signing import load_private_key
    from harness.scoring.selection import select_rules

    if rules:
        select_rules(list(rules), field="--rules")  # a typo fails here, not per scenario
    signer = load_private_key(sign_key) if sign_key is not None else None
    return ReportOptions(tuple(rules) or None, resolve_lang(lang), signer)


def finish_output(
    written: WrittenRun,
    ok: Callable[[ScenarioResult], bool],
    *,
    quiet: bool,
    signer: Ed25519PrivateKey | None,
    label: str,
    shown: Path,
) -> None:
    """Sign, then print the table (stdout); unless quiet, the failing rules with their
    first evidence, where the report is and its digest."""
    signed = None
    if signer is not None:
        from harness.reports.signing import sign_manifest

        signed = sign_manifest(written.folder, signer)
    results = written.summary.scenarios
    click.echo(verdict_table(results, ok=ok))
    if written.pdf_error:
        click.echo(f"no PDF: {written.pdf_error}", err=True)
    if quiet:
        sys.stdout.flush()
        return
    details = failure_details(results, ok)
    if details:
        click.echo("\n" + details)
    click.echo(f"{label}: {shown}")
    if written.pdf is not None:
        click.echo(f"pdf: {written.pdf}")
    click.echo(digest_line(written.folder, written.manifest_sha256))
    if signed is not None:
        click.echo(f"signed: manifest.json.sig by key sha256:{signed.key_sha256}")
    sys.stdout.flush()


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
