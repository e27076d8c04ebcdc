"""``consent-harness check``: the standard scenarios for any app, for reviewers."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click

from harness.cli._console import RunConsole, choose_mode
from harness.cli._devices import provide_devices, with_device_options
from harness.cli.run_cmd import (
    INTERRUPTED_EXIT,
    _fresh,
    exit_status,
    finish_output,
    report_options,
    scenario_ok,
)
from harness.errors import HarnessError, InputError
from harness.model import AppInfo, Category, ScenarioResult, Verdict
from harness.reports import RunFolder, write_reports
from harness.runner import RunOptions, run_suite
from harness.runner.standard import standard_scenarios
from harness.scenario.model import PACKAGE_RE, Matchers


def _scope(text: str | None) -> list[str] | None:
    if text is None:
        return None
    known = [c.value for c in Category]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    for part in parts:
        if part not in known:
            raise InputError(f"unknown category {part!r}; known: {', '.join(known)}",
                             field="--scope")
    return parts


def _matchers(path: Path | None) -> dict[str, str] | None:
    """A YAML/JSON file with ``dialog``/``agree``/``refuse`` patterns (the scenario
    ``matchers:`` key), checked as the scenario loader checks it."""
    if path is None:
        return None
    from pydantic import ValidationError
    from ruamel.yaml import YAML, YAMLError

    try:
        data: Any = YAML(typ="safe").load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise InputError(f"cannot read the matchers file: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("expected a mapping with dialog, agree and/or refuse",
                         path=str(path))
    try:
        model = Matchers.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(first["msg"], path=str(path),
                         field=".".join(map(str, first["loc"]))) from exc
    return model.model_dump(exclude_none=True)


def _app_info(device: Any, package: str, apks: list[Path] | None, work: Path) -> AppInfo:
    """What identifies the binary under test: the given APKs (the base's identity, the
    SDKs of all), else the installed base APK (pulled); a package whose APK cannot be
    pulled keeps what the device says."""
    from harness.cli._apkscan import sdks_in_apk
    from harness.device.apkinfo import apk_identity
    from harness.device.parse import requested_permissions

    permissions = requested_permissions(
        device.shell_ok(["dumpsys", "package", package]).stdout)
    if apks is None:
        result = device.shell(["pm", "path", package])
        paths = [line.removeprefix("package:").strip() for line in result.stdout.splitlines()
                 if line.startswith("package:")]
        remote = next((p for p in paths if p.endswith("/base.apk")), paths[0] if paths else None)
        if remote is not None:
            try:
                apks = [work / "base.apk"]
                device.pull(remote, apks[0])
            except HarnessError:
                apks = None
    if apks is None:
        info = device.package_info(package)
        return AppInfo(package=package, permissions=permissions,
                       version_name=info.version_name if info else None,
                       version_code=info.version_code if info else None)
    ident = apk_identity(apks[0])
    return AppInfo(
        package=package, label=ident.label, version_name=ident.version_name,
        version_code=ident.version_code, apk_sha256=ident.sha256,
        signing_certs_sha256=list(ident.signing_certs_sha256),
        signature_schemes=list(ident.signature_schemes), permissions=permissions,
        sdks_in_apk=sorted({sdk for apk in apks for sdk in sdks_in_apk(apk)}))


def _target(targets: tuple[str, ...], work: Path) -> tuple[str, list[Path] | None]:
    """(package, APK files base first, or None). APKs are read (and must be one app's:
    one base, its splits; folders and APK sets expanded into ``work``) before anything
    is installed: a bad file is one line and exit 2."""
    if len(targets) == 1 and PACKAGE_RE.match(targets[0]) and not Path(targets[0]).exists():
        return targets[0], None
    for target in targets:
        path = Path(target)
        if not (path.exists() or target.endswith((".apk", ".apks"))):
            kind = "" if len(targets) == 1 else " (several targets are one app's APKs)"
            raise InputError(
                f"{target!r} is neither an Android package name (com.example.app) nor an "
                f".apk file{kind}")
    from harness.device.apkinfo import apk_identity
    from harness.device.apkset import expand_apks

    files = expand_apks([Path(t) for t in targets], work)  # InputError: not APKs…
    identity = apk_identity(files[0])
    if not identity.package:
        note = "; ".join(identity.notes) or "no manifest"
        raise InputError(f"not an APK: its package name cannot be read ({note})",
                         path=str(files[0]))
    return identity.package, files


@click.command(name="check")
@click.argument("targets", metavar="PACKAGE|APK...", nargs=-1, required=True)
@with_device_options
@click.option("--report", "report_dir", type=click.Path(path_type=Path),
              default=Path("consent-harness-check"), show_default=True,
              help="Folder for the evidence (report, traces, manifest).")
@click.option("--observe", type=float, default=8.0, show_default=True,
              help="Seconds to watch after launch and after each decision.")
@click.option("--reveal-values", is_flag=True,
              help="Keep identifier values in traces instead of salted hashes.")
@click.option("--scope", default=None, metavar="CATEGORIES",
              help="Categories the service legitimately needs, comma-separated "
                   "(e.g. location,camera): enables 7.4/unrelated-function.")
@click.option("--matchers", "matchers_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, metavar="FILE",
              help="YAML file with consent-dialog patterns: dialog, agree, refuse "
                   "(regular expressions, as a scenario's `matchers:`).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="S", help="Seconds to wait for the consent dialog and UI steps.")
@click.option("--rules", "rules", multiple=True, metavar="SPEC",
              help="Rules to score (as `score --rules`): id, glob, article or pack.")
@click.option("--lang", "lang", type=click.Choice(["zh", "en"]), default=None,
              help="Report language (default: from the locale).")
@click.option("--pdf", is_flag=True, help="Also write report.pdf (headless Chromium).")
@click.option("--sign", "sign_key", type=click.Path(path_type=Path, dir_okay=False),
              default=None, metavar="KEYFILE", help="Sign manifest.json (Ed25519 key).")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary table.")
@click.option("--verbose", "-v", is_flag=True,
              help="Off a terminal, also a line per step as it starts (on a terminal the "
                   "live display shows them).")
def check(
    targets: tuple[str, ...],
    devices: tuple[str, ...],
    sim: int | None,
    sim_profile: str | None,
    adb: str | None,
    report_dir: Path,
    observe: float,
    reveal_values: bool,
    scope: str | None,
    matchers_file: Path | None,
    timeout: float | None,
    rules: tuple[str, ...],
    lang: str | None,
    pdf: bool,
    sign_key: Path | None,
    quiet: bool,
    verbose: bool,
) -> int:
    """Check an installed app (PACKAGE) or an APK with the standard scenarios:
    observe without touching, agree, and refuse. An APK is validated, then installed
    once for all three. A split app is given as its base and split APKs (any order),
    a folder of them, or an APK set (bundletool's .apks, a zip of .apk files).

    Exit status: 0 no violation, 1 a violation or a verdict that could not be reached
    (inconclusive), 2 bad input (unknown package, invalid APK), 3 infrastructure
    failure, 130 interrupted.
    """
    threshold = Verdict.INCONCLUSIVE

    def ok(r: ScenarioResult) -> bool:
        return scenario_ok(r, threshold)

    with tempfile.TemporaryDirectory(prefix="consent-harness-check-") as tmp:
        package, apks = _target(targets, Path(tmp) / "apks")
        categories = _scope(scope)
        patterns = _matchers(matchers_file)
        report_opts = report_options(rules, lang, sign_key)
        scenarios = standard_scenarios(package, Path(tmp), observe=observe, scope=categories,
                                       matchers=patterns, timeout=timeout)
        folder = RunFolder(_fresh(report_dir))
        with RunConsole(choose_mode(quiet), ok, len(scenarios), verbose=verbose) as console, \
                provide_devices(devices, sim, adb, say=console.say,
                                profile=sim_profile) as devs:
            for device in devs:
                if apks is not None:
                    names = ", ".join(f.name for f in apks)
                    console.say(f"installing {names} ({package}) on {device.serial}")
                    device.install_apks(apks)
                if package not in set(device.packages()):
                    raise InputError(
                        f"{package} is not installed on {device.serial} "
                        "(give its .apk file to install it)")
            app = _app_info(devs[0], package, apks, Path(tmp))
            summary = run_suite(
                scenarios, devs, folder,
                options=RunOptions(reveal_values=reveal_values, rules=report_opts.rules,
                                   apps={package: app}),
                on_progress=console.progress)
        sources = {sc.name: sc.source.file for sc in scenarios}
        written = write_reports(folder, summary, lang=report_opts.lang, pdf=pdf,
                                reveal_values=reveal_values, scenario_sources=sources)
    finish_output(written, ok, quiet=quiet, signer=report_opts.signer, label="evidence",
                  shown=folder.path)
    if summary.interrupted:
        click.echo("interrupted: the evidence holds the scenarios that ran", err=True)
        return INTERRUPTED_EXIT
    return exit_status(summary.scenarios, threshold)
