"""One scenario on one device: prepare, launch with hooks, play the steps, stop, score.

Cleanup always runs. Whatever happens, the trace received so far stays on disk with an
end record, and a scenario that could not finish is an ``error`` — never a ``pass``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import __version__
from harness.catalog import Catalog, load_catalog
from harness.device import Device, DeviceError, DeviceLost
from harness.errors import HarnessError
from harness.instrument import InstrumentedApp, LaunchInfo, launch
from harness.model import (
    AppInfo,
    CallEvent,
    Marker,
    MarkerKind,
    ScenarioResult,
    TraceEnd,
    TraceHeader,
    TraceIssue,
    Verdict,
)
from harness.model.enums import PERSONAL_INFORMATION
from harness.model.trace import ScenarioRef
from harness.reports.digest import score_and_digest
from harness.runner.expectations import mismatches
from harness.runner.scenario_files import store_flows, write_verdicts
from harness.runner.steps import (
    Interrupted,
    StepContext,
    run_steps,
)
from harness.scenario import PermissionsMode, Scenario
from harness.tracefile import TraceWriter, open_trace

log = logging.getLogger(__name__)
#: An app's text kept as evidence (a policy screen) is cut here: the app is hostile.
MAX_EVIDENCE_TEXT = 1_000_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    reveal_values: bool = False
    #: Frida launch strategy: ``auto`` (spawn on phones, debug-wait on the simulator).
    strategy: str | None = None
    #: Called with each InstrumentedApp once launched (a seam for fault tests, which
    #: detach its session or unload its script while the app runs).
    on_app: Callable[[InstrumentedApp], None] | None = None
    #: Rule selectors for scoring (``--rules``: ids, globs, articles, packs; see
    #: harness.scoring.selection); None → the default rules.
    rules: tuple[str, ...] | None = None
    #: What identifies each app binary (``check``: APK hash, signers), by package: kept
    #: in the trace header of its scenarios.
    apps: dict[str, AppInfo] = field(default_factory=dict)


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


class _Live:
    """The steps' view of the instrumented app; swaps the app on relaunch."""

    def __init__(self, run: _ScenarioRun) -> None:
        self.run = run

    @property
    def app(self) -> InstrumentedApp:
        assert self.run.app is not None
        return self.run.app

    def add_host_marker(
        self, kind: MarkerKind | str, detail: dict[str, Any] | None = None
    ) -> Marker:
        return self.app.add_host_marker(kind, detail)

    def device_ms(self) -> float:
        return self.app.device_ms()

    def flush(self) -> None:
        self.app.flush()

    def wait(self, seconds: float) -> str:
        return self.app.wait(seconds, cancel=self.run.cancel)

    def exit_info(self) -> dict[str, Any] | None:
        return self.app.exit_info

    def relaunch(self, *, clear_data: bool) -> None:
        self.run.relaunch(clear_data=clear_data)


class _ScenarioRun:
    def __init__(
        self,
        scenario: Scenario,
        device: Device,
        scenario_dir: Path,
        options: RunOptions,
        catalog: Catalog,
        progress: Progress,
        cancel: threading.Event | None = None,
    ) -> None:
        self.cancel = cancel or threading.Event()
        self.scenario = scenario
        self.device = device
        self.dir = scenario_dir
        self.options = options
        self.catalog = catalog
        self.progress = progress
        self.trace_path = scenario_dir / "trace.jsonl"
        self.package = scenario.app or ""
        self.app: InstrumentedApp | None = None
        self.writer: TraceWriter | None = None
        self.ctx: StepContext | None = None
        self.violation_seen = False
        self.violation_shot = False
        #: What the device did before the trace existed (permissions, wake): recorded
        #: as host markers once the app is launched.
        self._before_launch: list[tuple[MarkerKind, dict[str, Any]]] = []
        self._issues_before_launch: list[tuple[str, str, dict[str, Any]]] = []
        #: Undone in finish(): the animation scales, set to 0 for the run.
        self._restore = contextlib.ExitStack()
        #: The caller keeps animations off for the whole run (run_scenario's argument).
        self.animations_off = False

    # -- trace -----------------------------------------------------------------------
    def _header(self, clock_offset_ms: float) -> TraceHeader:
        info = self.device.package_info(self.package)
        props = self.device.props()
        src = self.scenario.source
        return TraceHeader(
            created_at=_now_iso(),
            harness_version=__version__,
            scenario=ScenarioRef(name=self.scenario.name, file=str(src.file), line=src.line,
                                 options=self.scenario.rule_options or None),
            scope=self.scenario.scope,
            device={k: str(v) for k, v in {
                "serial": self.device.serial, "model": props.model,
                "sdk_int": props.sdk_int, "release": props.release, "abi": props.abi,
            }.items() if v is not None},
            app=self.options.apps.get(self.package) or AppInfo(
                package=self.package,
                version_name=info.version_name if info else None,
                version_code=info.version_code if info else None,
            ),
            catalog_hash=self.catalog.hash,
            clock_offset_ms=clock_offset_ms,
            consent_patterns=self.scenario.matchers.consent_matchers().patterns(),
        )

    def _writer_for(self, info: LaunchInfo) -> TraceWriter:
        if self.writer is None:
            self.writer = TraceWriter(
                self.trace_path, self._header(info.clock_offset_ms),
                reveal_values=self.options.reveal_values,
            )
        return self.writer

    def _on_record(self, record: Any) -> None:
        # Runs on the instrumentation's consumer thread: only note things down here.
        if (isinstance(record, CallEvent) and not self.violation_seen
              and record.category in PERSONAL_INFORMATION
              and (self.ctx is None or self.ctx.decision != "agree")):
            self.violation_seen = True

    def _after_step(self) -> None:
        """A screenshot of the screen soon after the first personal-information call
        made before consent or after a refusal (the likely first violation)."""
        if self.violation_seen and not self.violation_shot:
            self.violation_shot = True
            self.screenshot("first-violation.png")

    # -- device ----------------------------------------------------------------------
    def prepare(self) -> None:
        sc = self.scenario
        if sc.apk is not None:
            self.progress(f"installing {', '.join(p.name for p in sc.apk)}")
            before = set(self.device.packages())
            installed = self.device.install_apks(sc.apk)  # one APK, or a base and its splits
            if not self.package and installed.package:
                self.package = installed.package  # the base's manifest says
            elif not self.package:
                added = sorted(set(self.device.packages()) - before)
                if len(added) != 1:
                    raise DeviceError(
                        f"installed {', '.join(map(str, sc.apk))} but could not tell "
                        f"its package name: its manifest does not say and the device's "
                        f"new packages are {added or 'none'}"
                    )
                self.package = added[0]
        if self.device.package_info(self.package) is None:
            raise _UnknownApp(
                f"{self.package} is not installed on {self.device.serial}"
                " (give `apk:` to install it, or install it first)"
            )
        self.device.force_stop(self.package)
        if sc.launch.clear_data:
            self.device.clear_data(self.package)
        changes = None
        if sc.launch.permissions is PermissionsMode.REVOKE_ALL:
            changes = self.device.revoke_all(self.package)
        elif sc.launch.permissions is PermissionsMode.GRANT_ALL:
            changes = self.device.grant_all(self.package)
        if changes is not None:
            self._before_launch.append(
                (MarkerKind.HOST_ACTION, {"action": "permissions", **changes.as_detail()}))
            if not changes.complete:
                self._issues_before_launch.append((
                    "permissions_refused",
                    f"the device refused to {changes.action} {len(changes.refused)} "
                    f"permission(s): {', '.join(sorted(changes.refused))}",
                    {"refused": dict(changes.refused)}))
        # Animated screens make `uiautomator dump` fail ("could not get idle state").
        if not self.animations_off:
            try:
                self._restore.enter_context(self.device.no_animations())
            except HarnessError as exc:
                log.warning("%s: cannot turn animations off: %s", self.device.serial, exc)
        wake = self.device.wake_and_unlock()
        self._before_launch.append((MarkerKind.HOST_ACTION, {
            "action": "wake_and_unlock", "woke": wake.woke,
            "keyguard_dismissed": wake.keyguard_dismissed, "detail": wake.detail}))

    def start(self) -> None:
        strategy = self.options.strategy or self.scenario.launch.strategy.value
        self.app = launch(
            self.device, self.package, self._writer_for, catalog=self.catalog,
            strategy=strategy, on_record=self._on_record,
            timeout=self.scenario.timeout.launch,
        )
        for kind, detail in self._before_launch:
            self.app.add_host_marker(kind, detail)
        for code, message, extra in self._issues_before_launch:
            self.app.add_issue(code, message, **extra)
        self._before_launch.clear()
        self._issues_before_launch.clear()
        if self.options.on_app is not None:
            self.options.on_app(self.app)

    def relaunch(self, *, clear_data: bool) -> None:
        assert self.app is not None
        self.app.stop("completed", close_writer=False)
        self.app = None
        self.device.force_stop(self.package)
        if clear_data:
            self.device.clear_data(self.package)
        self.start()

    def save_text(self, name: str, text: str) -> None:
        """Evidence text from the app (a policy screen): stored as it came, never run."""
        (self.dir / name).write_text(text[:MAX_EVIDENCE_TEXT], "utf-8")

    def screenshot(self, name: str) -> None:
        path = self.dir / name
        if path.exists():
            return
        try:
            path.write_bytes(self.device.screenshot())
        except DeviceLost:
            raise
        except HarnessError as exc:  # a device without screencap still gets a verdict
            log.info("no screenshot %s: %s", name, exc)

    # -- the run ---------------------------------------------------------------------
    def execute(self) -> tuple[str | None, str]:
        """Play the scenario; returns (error message or None, end reason)."""
        try:
            self.prepare()
            self.progress("launching with hooks")
            self.start()
            ctx = StepContext(
                scenario=self.scenario, device=self.device, package=self.package,
                recorder=_Live(self),
                matchers=self.scenario.matchers.consent_matchers(),
                screenshot=self.screenshot, log=self.progress, after_step=self._after_step,
                cancel=self.cancel, save_text=self.save_text,
            )
            self.ctx = ctx
            run_steps(ctx, list(self.scenario.steps))
            return None, "completed"
        except Interrupted:
            return "the run was interrupted (SIGINT/SIGTERM)", "interrupted"
        except DeviceLost as exc:
            return f"device lost: {exc}", "device_lost"
        except HarnessError as exc:  # a step that could not be played, Frida, the device…
            return str(exc), "error"

    def finish(self, error: str | None, reason: str) -> None:
        """Stop the app and close the trace, whatever state the run is in."""
        try:
            self._finish(error, reason)
        finally:
            try:
                self._restore.close()
            except HarnessError as exc:
                log.warning("%s: animation scales not restored: %s", self.device.serial, exc)

    def _finish(self, error: str | None, reason: str) -> None:
        if self.app is not None:
            if error is not None:
                self.app.add_issue("scenario_error", error, level="error")
            try:
                self.app.stop(reason)
            except HarnessError as exc:
                log.warning("stopping %s failed: %s", self.package, exc)
            return
        # Launch never completed: keep what is known in a trace of its own.
        now = time.time() * 1000.0
        if self.writer is None:
            self.writer = TraceWriter(
                self.trace_path,
                TraceHeader(
                    created_at=_now_iso(), harness_version=__version__,
                    scenario=ScenarioRef(name=self.scenario.name,
                                         file=str(self.scenario.source.file),
                                         line=self.scenario.source.line,
                                         options=self.scenario.rule_options or None),
                    scope=self.scenario.scope,
                    device={"serial": self.device.serial},
                    app=AppInfo(package=self.package or "unknown"),
                    catalog_hash=self.catalog.hash,
                ),
                reveal_values=self.options.reveal_values,
            )
        if error is not None:
            self.writer.write([TraceIssue(ts=now, level="error", code="scenario_error",
                                          message=error)])
        self.writer.close(TraceEnd(ts=now, reason=reason, message=error))  # type: ignore[arg-type]


class _UnknownApp(HarnessError):
    exit_code = 2


def run_scenario(
    scenario: Scenario,
    device: Device,
    scenario_dir: Path,
    *,
    options: RunOptions | None = None,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    animations_off: bool = False,
) -> ScenarioResult:
    """Run one scenario; the trace and ``verdicts.json`` land in ``scenario_dir``.

    ``animations_off``: the caller has already set the device's animation scales to 0
    for its whole run (as ``run_suite`` does, once per device); otherwise the scenario
    does it and restores them when it ends.

    Setting ``cancel`` (another thread, on SIGINT/SIGTERM) stops the scenario at its next
    check: the trace ends ``interrupted``, the app is force-stopped, the verdict is error.
    A KeyboardInterrupt in this thread does the same, then propagates.
    """
    scenario_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    store_flows(scenario, scenario_dir)
    run = _ScenarioRun(scenario, device, scenario_dir, options or RunOptions(),
                       catalog or load_catalog(), progress or (lambda _msg: None), cancel)
    run.animations_off = animations_off
    error: str | None = "the run was interrupted"
    reason = "interrupted"
    interrupted = False
    try:
        error, reason = run.execute()
        if reason == "completed" and run.cancel.is_set():
            error, reason = "the run was interrupted (SIGINT/SIGTERM)", "interrupted"
    except KeyboardInterrupt:
        interrupted = True
        error, reason = "the run was interrupted (SIGINT/SIGTERM)", "interrupted"
    finally:
        run.finish(error, reason)
    # One read of the trace: the writer kept its markers and the calls' time range, and
    # the report's digest rides on the scorer's pass (kept for the report writer).
    writer = run.writer
    report = score_and_digest(
        open_trace(run.trace_path),
        rules=scenario.rule_selection(run.options.rules),
        markers=writer.markers if writer is not None else None,
        span=writer.span if writer is not None else None,
        app_package=run.package or (scenario.app or "unknown"),
    )
    verdict = Verdict.ERROR if error is not None else report.verdict
    src = scenario.source
    result = ScenarioResult(
        scenario=scenario.name,
        file=str(src.file),
        line=src.line,
        package=run.package or (scenario.app or "unknown"),
        device=device.serial,
        verdict=verdict,
        articles=report.articles,
        rules=report.rules,
        expect=dict(scenario.expect),
        mismatches=mismatches(scenario.expect, report.articles, report.rules),
        error=error,
        unreached=report.unreached,
        trace="trace.jsonl",
        duration_s=round(time.monotonic() - started, 3),
    )
    if error is not None and scenario.expect:
        result.mismatches.append(f"the scenario did not complete: {error}")
    write_verdicts(scenario_dir, result, reveal_values=run.options.reveal_values)
    if interrupted:
        raise ScenarioInterrupted(result)
    return result


class ScenarioInterrupted(KeyboardInterrupt):
    """A KeyboardInterrupt that stopped a scenario, after its trace was closed
    (``interrupted``), its app stopped and its result (an error) written."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__("interrupted")
        self.result = result
