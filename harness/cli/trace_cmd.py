"""``consent-harness trace PACKAGE``: launch an app with hooks and watch its calls live."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from harness import __version__
from harness.errors import InputError
from harness.model import AppInfo, CallEvent, Marker, MarkerKind, TraceHeader, TraceIssue

_PACKAGE = re.compile(r"^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$")

if TYPE_CHECKING:
    from harness.device import Device


#: Where ``trace`` puts its run folders unless ``--out`` says otherwise (git-ignored).
TRACE_ROOT = Path("consent-harness-trace")
TRACE_FILE = "trace.jsonl"


@contextlib.contextmanager
def _device(serial: str | None, adb: str | None) -> Iterator[Device]:
    """The one device rule, as ``run`` and ``check`` apply it (:func:`provide_devices`):
    ``--device``, else ``ANDROID_SERIAL``, else the built-in simulated device (started
    here, and said so) — on the adb server of ``--adb``, else of the environment."""
    from harness.cli._devices import provide_devices
    from harness.device import resolve_devices

    request = resolve_devices([serial] if serial else [], adb)
    if len(request.serials) > 1:
        raise InputError(
            f"trace follows one app on one device; {request.source} names "
            f"{len(request.serials)}: {', '.join(request.serials)}",
            field=request.source,
        )
    with provide_devices(list(request.serials), None, adb) as devices:
        yield devices[0]


def run_folder(out: Path | None, package: str, stamp: datetime) -> Path:
    """``--out``, else ``./consent-harness-trace/<package>-<UTC time>/``; created, and
    refused when it already holds a trace (a trace is evidence: never overwritten)."""
    folder = out or TRACE_ROOT / f"{package}-{stamp.strftime('%Y%m%d-%H%M%S')}"
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {folder}: exists and is not a folder", field="--out")
    if (folder / TRACE_FILE).exists():
        raise InputError(
            f"--out {folder}: already holds a {TRACE_FILE}; choose another folder",
            field="--out",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {folder}: cannot create it: {exc}", field="--out") from exc
    return folder


#: Markers the live phase is derived from, and the phase after each kind of decision.
_OBSERVED = frozenset({MarkerKind.DIALOG_SHOWN, MarkerKind.VIEW_CLICKED, MarkerKind.CONSENT_SHOWN,
                       MarkerKind.CONSENT_GRANTED, MarkerKind.CONSENT_REFUSED,
                       MarkerKind.CONSENT_WITHDRAWN})
_PHASE_AFTER = {MarkerKind.CONSENT_GRANTED: "post_consent",
                MarkerKind.CONSENT_REFUSED: "post_refusal",
                MarkerKind.CONSENT_WITHDRAWN: "post_refusal"}


class _Live:
    """Prints each record as it is written: time, phase, category, API, SDK, frames."""

    def __init__(self, package: str, frames: int) -> None:
        from harness.catalog import attribute
        from harness.ui.matchers import DEFAULT_CONSENT_MATCHERS

        self.package = package
        self.frames = frames
        self.t0: float | None = None
        self.phase = "pre_consent"
        self.patterns = DEFAULT_CONSENT_MATCHERS.patterns()
        #: The markers consent moments are derived from, so far (few: UI events).
        self.markers: list[Marker] = []
        self.attribute = attribute
        self.calls = 0

    def _t(self, ts: float) -> str:
        if self.t0 is None:
            self.t0 = ts
        return f"{(ts - self.t0) / 1000:8.3f}s"

    def __call__(self, record: Any) -> None:
        if isinstance(record, CallEvent):
            self.calls += 1
            sdk = self.attribute(record.stack, self.package).sdk
            line = (
                f"{self._t(record.ts)} {self.phase:<12} {record.category.value:<18} "
                f"{record.api:<32} {sdk:<16} [{record.thread}]"
            )
            click.echo(line)
            for frame in record.stack[1 : 1 + self.frames]:
                click.echo(f"{'':>10}  at {frame}")
        elif isinstance(record, Marker):
            self._consent(record)
            detail = ", ".join(
                f"{k}={v}" for k, v in record.detail.items() if k not in ("thread", "tid")
            )[:160]
            click.secho(
                f"{self._t(record.ts)} -- {record.marker.value} ({record.source}) {detail}",
                fg="cyan",
            )
        elif isinstance(record, TraceIssue):
            click.secho(f"{self._t(record.ts)} !! {record.code}: {record.message}", fg="yellow")

    def _consent(self, m: Marker) -> None:
        from harness.scoring.consent import with_consent_moments

        # Only for the live phase column; the scorer derives the same moments from the
        # trace afterwards, with the same function (harness.scoring.consent).
        if m.marker not in _OBSERVED:
            return
        self.markers.append(m)
        moments = with_consent_moments(self.markers, self.patterns)
        for marker in reversed(moments):
            if marker.marker in _PHASE_AFTER:
                self.phase = _PHASE_AFTER[marker.marker]
                break


@click.command()
@click.argument("package")
@click.option(
    "--device",
    "-d",
    "serial",
    default=None,
    metavar="SERIAL",
    help="Device to use (default: ANDROID_SERIAL, else the built-in simulated device).",
)
@click.option(
    "--adb",
    default=None,
    metavar="HOST:PORT",
    help="adb server of --device (default: ADB_SERVER_SOCKET / ANDROID_ADB_SERVER_PORT, "
    "else 127.0.0.1:5037).",
)
@click.option(
    "--frida-remote",
    default=None,
    metavar="HOST:PORT",
    help="A remote frida-server to instrument through.",
)
@click.option(
    "--strategy",
    type=click.Choice(["auto", "spawn", "debug-wait"]),
    default="auto",
    show_default=True,
    help="How to start the app paused.",
)
@click.option(
    "--duration",
    type=float,
    default=None,
    metavar="S",
    help="Stop after S seconds (default: when the app exits, or Ctrl-C).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run folder for trace.jsonl and verdicts.json "
    "(default: ./consent-harness-trace/<package>-<time>/).",
)
@click.option("--reveal-values", is_flag=True, help="Keep identifier values (default: redacted).")
@click.option(
    "--frames", type=int, default=3, show_default=True, help="Stack frames printed per call."
)
@click.option("--no-stack", is_flag=True, help="Do not capture stacks (no SDK attribution).")
def trace(
    package: str,
    serial: str | None,
    adb: str | None,
    frida_remote: str | None,
    strategy: str,
    duration: float | None,
    out: Path | None,
    reveal_values: bool,
    frames: int,
    no_stack: bool,
) -> None:
    """Launch PACKAGE with hooks, print every sensitive call live, write and score the trace."""
    if not _PACKAGE.match(package):
        raise InputError(
            f"not a package name: {package!r} (e.g. com.example.news)", field="PACKAGE"
        )
    from harness.catalog import load_catalog
    from harness.instrument import LaunchInfo, launch
    from harness.tracefile import TraceWriter

    catalog = load_catalog()
    stamp = datetime.now(timezone.utc)
    live = _Live(package, frames)
    with _device(serial, adb) as device:
        props = device.props()
        if device.package_info(package) is None:
            raise InputError(f"{package} is not installed on {device.serial}", field="PACKAGE")
        info = device.package_info(package)
        folder = run_folder(out, package, stamp)
        path = folder / TRACE_FILE

        def writer(launch_info: LaunchInfo) -> TraceWriter:
            header = TraceHeader(
                created_at=stamp.isoformat().replace("+00:00", "Z"),
                harness_version=__version__,
                device={
                    k: str(v)
                    for k, v in {
                        "serial": device.serial,
                        "model": props.model,
                        "sdk_int": props.sdk_int,
                        "release": props.release,
                        "abi": props.abi,
                    }.items()
                    if v is not None
                },
                app=AppInfo(
                    package=package,
                    version_name=info.version_name if info else None,
                    version_code=info.version_code if info else None,
                ),
                catalog_hash=catalog.hash,
                clock_offset_ms=launch_info.clock_offset_ms,
                consent_patterns=live.patterns,
            )
            return TraceWriter(path, header, reveal_values=reveal_values)

        woke = device.wake_and_unlock()
        if not woke.woke:
            click.echo(f"note: could not wake the screen ({woke.detail})", err=True)
        click.echo(f"launching {package} on {device.serial} with hooks…", err=True)
        app = launch(
            device,
            package,
            writer,
            catalog=catalog,
            strategy=strategy,
            remote=frida_remote,
            stack=not no_stack,
            on_record=live,
        )
        hooks = app.hooks
        assert hooks is not None
        click.echo(
            f"pid {app.pid}: {len(hooks.installed)} hooks in, {len(hooks.failed)} failed, "
            f"stacks: {hooks.stack} ({app.timings_ms.get('total', 0):.0f} ms)",
            err=True,
        )
        for failure in hooks.failed:
            click.echo(f"  hook {failure.id} failed: {failure.error}", err=True)
        reason = "completed"
        try:
            outcome = app.wait(duration)
            if outcome != "timeout":
                reason = outcome
        except KeyboardInterrupt:
            reason = "interrupted"
        end = app.stop(reason)
    click.echo(f"trace: {path} — {end.events} calls, end: {end.reason}", err=True)
    _score(path)


def _score(path: Path) -> None:
    try:
        from harness.scoring import score
        from harness.tracefile import open_trace
    except ImportError:
        return
    report = score(open_trace(path))
    (path.parent / "verdicts.json").write_text(report.model_dump_json(indent=2), "utf-8")
    click.echo(f"verdict: {report.verdict.value} ({report.calls} calls)")
    for article in report.articles:
        click.echo(f"article {article.article}: {article.verdict.value}")
    for result in report.rules:
        click.echo(f"  {result.verdict.value:<14} {result.rule}: {result.reason}")
