"""pytest plugin (entry point ``pytest11``): scenario files become test items.

``pytest scenarios/`` runs every scenario as one item located at its file and line; a
failure shows the violated rules with their evidence, not a Python traceback. Devices:
``--device SERIAL`` (repeat; with pytest-xdist worker *k* takes device *k*), or ``--sim``
(each worker starts its own simulated device; the default when no device is named).

Scenario files are YAML files under a folder named ``scenarios`` (or named
``*.scenario.yaml``) that have a top-level ``steps:`` key — never inside a run folder
(one holding a ``manifest.json``, or the default report folders), which keeps a copy of
each scenario it ran. Item ids are the scenario's name as a slug, easy to type:
``scenarios/news.yaml::news-refuse``.
"""

from __future__ import annotations

import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from harness.errors import HarnessError, ScenarioError

_SCENARIO_TEXT = re.compile(r"^steps:", re.M)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("consent-harness", "consent-harness scenarios")
    group.addoption("--device", dest="ch_devices", action="append", default=[],
                    metavar="SERIAL",
                    help="device to run scenarios on (repeat; with -n, worker k uses device k)")
    group.addoption("--sim", dest="ch_sim", type=int, default=None, metavar="N",
                    help="use simulated devices (default when no --device): each xdist worker "
                         "starts one, so run N devices with -n N")
    group.addoption("--adb", dest="ch_adb", default=None, metavar="HOST:PORT",
                    help="adb server for --device (default 127.0.0.1:5037)")
    group.addoption("--ch-report", dest="ch_report", default=None, metavar="DIR",
                    help="write the run folder (traces, verdicts, report.html) here")
    group.addoption("--reveal-values", dest="ch_reveal", action="store_true",
                    help="keep identifier values in traces")
    group.addoption("--fail-on", dest="ch_fail_on", choices=("fail", "inconclusive"),
                    default="inconclusive",
                    help="lowest verdict that fails a scenario without `expect:` "
                         "(default: inconclusive — a dialog never found is not green)")


#: Folders ``run``/``check``/``trace`` write by default: their scenario copies are evidence.
_RUN_FOLDERS = frozenset({"consent-harness-report", "consent-harness-check",
                          "consent-harness-trace"})


def _in_run_folder(path: Path) -> bool:
    if _RUN_FOLDERS & set(path.parts):
        return True
    return any((parent / "manifest.json").is_file() for parent in path.parents)


def _is_scenario_file(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml"):
        return False
    if not (path.name.endswith((".scenario.yaml", ".scenario.yml")) or "scenarios" in path.parts):
        return False
    if _in_run_folder(path):
        return False
    try:
        return bool(_SCENARIO_TEXT.search(path.read_text("utf-8", errors="replace")))
    except OSError:
        return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_scenario_file(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from harness.scenario import load_scenarios

        try:
            scenarios = load_scenarios(self.path)
        except ScenarioError as exc:
            raise self.CollectError(str(exc)) from exc
        from harness.reports.folder import slugify

        taken: set[str] = set()
        for scenario in scenarios:
            name = slugify(scenario.name)
            n = 2
            while name in taken:  # two scenarios whose names slug alike
                name = f"{slugify(scenario.name)}-{n}"
                n += 1
            taken.add(name)
            yield ScenarioItem.from_parent(self, name=name, scenario=scenario)


class ScenarioFailed(Exception):
    """The scenario's verdicts did not meet its expectation (or it found a violation)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        # ``-k refuse`` selects scenarios by tag, without registering pytest markers.
        self.extra_keyword_matches.update(scenario.tags)
        self.extra_keyword_matches.add(scenario.name)

    def runtest(self) -> None:
        from harness.cli.run_cmd import scenario_ok
        from harness.model import Verdict
        from harness.runner import RunOptions, ScenarioInterrupted, run_scenario

        pool: _DevicePool = self.config.stash[_POOL]
        device = pool.device()
        source = str(self.scenario.source.file)
        directory = pool.folder.scenario_dir(self.scenario.name, file=source)
        try:
            result = run_scenario(self.scenario, device, directory,
                                  options=RunOptions(reveal_values=pool.reveal))
        except ScenarioInterrupted as exc:
            pool.results.append(exc.result)
            pool.interrupted = True
            raise
        except KeyboardInterrupt:
            pool.interrupted = True
            raise
        pool.results.append(result)
        # a scenario whose dialog was never found (inconclusive) fails, as in `run`
        if not scenario_ok(result, Verdict(self.config.getoption("ch_fail_on"))):
            raise ScenarioFailed(_explain(result, directory))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return excinfo.value.text
        if isinstance(excinfo.value, HarnessError):
            return f"{type(excinfo.value).__name__}: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.source.line - 1, f"scenario: {self.name}"


def _explain(result: Any, directory: Path) -> str:
    from harness.model import Verdict

    lines = [f"{result.scenario} ({result.package} on {result.device}): {result.verdict.value}"]
    if result.error:
        lines.append(f"  error: {result.error}")
    for m in result.mismatches:
        lines.append(f"  expectation not met: {m}")
    for rule in result.rules:
        if rule.verdict not in (Verdict.FAIL, Verdict.ERROR, Verdict.INCONCLUSIVE):
            continue
        lines.append(f"  {rule.rule} [{rule.article}] {rule.verdict.value}: {rule.reason}")
        for ev in rule.evidence[:5]:
            rel = "" if ev.t_rel_ms is None else f" {ev.t_rel_ms:+.0f}ms"
            lines.append(f"    #{ev.seq} {ev.phase.value}{rel} {ev.api} [{ev.category.value}]"
                         f" sdk={ev.sdk} {ev.frame or ''}")
        if rule.evidence_count > 5:
            lines.append(f"    … {rule.evidence_count - 5} more")
    lines.append(f"  trace: {directory / 'trace.jsonl'}")
    return "\n".join(lines)


class _DevicePool:
    """This process's device (started on first use), its run folder and results."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.reveal = bool(config.getoption("ch_reveal"))
        self.results: list[Any] = []
        self.interrupted = False
        self._stack = ExitStack()
        self._device: Any = None
        worker = getattr(config, "workerinput", {}).get("workerid")
        self.worker_index = int(worker[2:]) if worker and worker[2:].isdigit() else 0
        self._worker = worker
        self._folder: Any = None

    @property
    def folder(self) -> Any:
        if self._folder is None:
            from harness.reports import RunFolder

            report = self.config.getoption("ch_report")
            if report:
                path = Path(report) / self._worker if self._worker else Path(report)
            else:
                path = Path(tempfile.mkdtemp(prefix="consent-harness-pytest-"))
            self._folder = RunFolder(path)
        return self._folder

    def device(self) -> Any:
        if self._device is None:
            from harness.cli._devices import provide_devices

            serials: list[str] = self.config.getoption("ch_devices")
            if serials:
                serials = [serials[self.worker_index % len(serials)]]
            sim = None if serials else 1
            devices = self._stack.enter_context(
                provide_devices(serials, sim, self.config.getoption("ch_adb"), say=lambda _m: None)
            )
            self._device = devices[0]
        return self._device

    def close(self) -> None:
        try:
            if self.results:
                import datetime as dt

                from harness import __version__
                from harness.model import RunSummary
                from harness.reports import write_reports

                now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                write_reports(self.folder, RunSummary(harness_version=__version__,
                                                      started_at=now, finished_at=now,
                                                      scenarios=self.results,
                                                      interrupted=self.interrupted))
        finally:
            self._stack.close()


_POOL = pytest.StashKey[_DevicePool]()


#: Exit status of an interrupted session (as ``consent-harness run``).
INTERRUPTED_EXIT = 130


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: the running scenario closes its trace
    # (``interrupted``), its app is stopped, the devices we started are torn down.
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_POOL] = _DevicePool(config)
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _terminate)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pool = session.config.stash.get(_POOL, None)
    if pool is not None and pool.interrupted:
        session.exitstatus = INTERRUPTED_EXIT


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    pool = config.stash.get(_POOL, None)
    if pool is not None and pool.results:
        terminalreporter.write_line(f"consent-harness run folder: {pool.folder.path}")


def pytest_unconfigure(config: pytest.Config) -> None:
    pool = config.stash.get(_POOL, None)
    if pool is not None:
        pool.close()
