"""pytest plugin (entry point ``pytest11``): scenario files become test items.

``pytest scenarios/`` runs every scenario as one item located at its file and line; a
failure shows the violated rules with their evidence, not a Python traceback. Devices:
``--device SERIAL`` (repeat), or ``--sim N``; without either, ``ANDROID_SERIAL``, else one
simulated device. N devices run through pytest-xdist, one device per worker: ``--sim N``
(or N ``--device``) without ``-n`` sets ``-n N`` (an error naming the extra when
pytest-xdist is not installed); with ``-n M`` each worker starts its own simulated device.

One run folder per session (``--ch-report DIR``, default ``./consent-harness-report``,
replaced by the next run as ``consent-harness run`` does): under xdist each worker keeps
its scenarios' files in its basetemp, and the controller moves them into the folder as
their results arrive and writes one summary, report and JUnit at the end. The terminal
summary names the folder.

Scenario files are YAML files under a folder named ``scenarios`` (or named
``*.scenario.yaml``) that have a top-level ``steps:`` key — never flow files
(``*.flow.yaml``, read through ``run_flow``), never inside a run folder (one holding a
``manifest.json``, or the default report folders), which keeps a copy of each scenario it
ran. Item ids are the scenario's name as a slug, easy to type:
``scenarios/news.yaml::news-refuse``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from harness.errors import HarnessError, InputError, ScenarioError

_SCENARIO_TEXT = re.compile(r"^steps:", re.M)
#: Where the run folder goes without ``--ch-report`` (as ``consent-harness run --report``).
DEFAULT_REPORT = "consent-harness-report"
_EXTRA = "pip install 'consent-harness[pytest]'"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("consent-harness", "consent-harness scenarios")
    group.addoption("--device", dest="ch_devices", action="append", default=[],
                    metavar="SERIAL",
                    help="device to run scenarios on (repeat: one pytest-xdist worker per "
                         "device, -n set for you)")
    group.addoption("--sim", dest="ch_sim", type=int, default=None, metavar="N",
                    help="run on N simulated devices (N > 1: one pytest-xdist worker each, "
                         "-n N set for you). Default without --device: ANDROID_SERIAL, "
                         "else one simulated device per worker")
    group.addoption("--adb", dest="ch_adb", default=None, metavar="HOST:PORT",
                    help="adb server for --device (default 127.0.0.1:5037)")
    group.addoption("--ch-report", dest="ch_report", default=None, metavar="DIR",
                    help="write the run folder (traces, verdicts, report.html, junit.xml) "
                         f"here (default ./{DEFAULT_REPORT}, replaced by the next run)")
    group.addoption("--reveal-values", dest="ch_reveal", action="store_true",
                    help="keep identifier values in traces")
    group.addoption("--fail-on", dest="ch_fail_on", choices=("fail", "inconclusive"),
                    default="inconclusive",
                    help="lowest verdict that fails a scenario without `expect:` "
                         "(default: inconclusive — a dialog never found is not green)")


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config) -> Any:
    # A wrapper runs before every implementation, pytest-xdist's included: -n set here
    # is read by xdist as if given on the command line.
    if not hasattr(config, "workerinput"):
        _plan_workers(config)
    return (yield)


def _plan_workers(config: pytest.Config) -> None:
    """``--sim N`` / N ``--device``: N xdist workers, one device each."""
    sim: int | None = config.getoption("ch_sim")
    serials: list[str] = config.getoption("ch_devices")
    if sim is not None and sim < 1:
        raise pytest.UsageError(f"--sim must be at least 1, got {sim}")
    if sim and serials:
        raise pytest.UsageError("give --device or --sim, not both")
    wanted = sim or len(serials)
    what = f"--sim {sim}" if sim else f"{len(serials)} --device"
    workers = getattr(config.option, "numprocesses", None)
    if not hasattr(config.option, "numprocesses"):  # pytest-xdist absent or -p no:xdist
        if wanted > 1:
            raise pytest.UsageError(
                f"{what} runs {wanted} devices at once through pytest-xdist (one worker per "
                f"device), which is not installed (or is off: -p no:xdist): {_EXTRA}")
        return
    if workers is None:
        if wanted > 1:
            config.option.numprocesses = wanted
        return
    if not isinstance(workers, int) or workers < 2:
        return  # -n auto: xdist decides (each worker its own simulated device); -n 0/1
    if sim and sim != workers:
        raise pytest.UsageError(
            f"--sim {sim} with -n {workers}: each xdist worker drives one simulated device; "
            f"give --sim {sim} alone (it sets -n {sim}), or -n {workers} alone")
    if serials and workers > len(serials):
        raise pytest.UsageError(
            f"-n {workers} with {len(serials)} --device: two workers would drive one device; "
            f"give -n {len(serials)} or more --device")


#: Folders ``run``/``check``/``trace`` write by default: their scenario copies are evidence.
_RUN_FOLDERS = frozenset({DEFAULT_REPORT, "consent-harness-check", "consent-harness-trace"})


def _in_run_folder(path: Path) -> bool:
    if _RUN_FOLDERS & set(path.parts):
        return True
    return any((parent / "manifest.json").is_file() for parent in path.parents)


def _is_scenario_file(path: Path) -> bool:
    from harness.scenario import is_flow_file

    if path.suffix not in (".yaml", ".yml") or is_flow_file(path):
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
        #: (result as JSON, its directory) once run: what an xdist worker sends home.
        self.ch_outcome: tuple[dict[str, Any], str] | None = None
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
        self.ch_outcome = (result.model_dump(mode="json"), str(directory))
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    worker = getattr(item.config, "workerinput", {}).get("workerid")
    if worker and call.when == "call" and isinstance(item, ScenarioItem) and item.ch_outcome:
        # Plain data on the report: xdist sends it to the controller, which merges.
        report.ch_result, report.ch_dir = item.ch_outcome
        report.ch_worker = worker
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    pool = _controller_pool(report)
    data = getattr(report, "ch_result", None)
    if pool is not None and isinstance(data, dict):
        pool.merge(data, Path(str(getattr(report, "ch_dir", ""))), str(report.ch_worker))


def _controller_pool(report: pytest.TestReport) -> _DevicePool | None:
    # The hook has no config argument; the controller's pool is the one registered last.
    return _CONTROLLER[-1] if _CONTROLLER and getattr(report, "ch_worker", None) else None


class _DevicePool:
    """This process's device (started on first use), its run folder and results. In an
    xdist worker the folder is a staging one in its basetemp; in the controller (or a
    session without xdist) it is the run folder itself."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.reveal = bool(config.getoption("ch_reveal"))
        self.results: list[Any] = []
        self.interrupted = False
        self.write_error: str | None = None
        self.devices: set[str] = set()
        self._stack = ExitStack()
        self._device: Any = None
        worker = getattr(config, "workerinput", {}).get("workerid")
        self.worker_index = int(worker[2:]) if worker and worker[2:].isdigit() else 0
        self._worker: str | None = worker
        self._folder: Any = None
        report = config.getoption("ch_report")
        self.explicit = report is not None
        self.path = Path(config.invocation_params.dir) / (report or DEFAULT_REPORT)
        if self._worker is None and self.explicit:
            try:
                _fresh(self.path, check_only=True)  # said before a device starts
            except InputError as exc:
                raise pytest.UsageError(str(exc)) from exc

    @property
    def folder(self) -> Any:
        if self._folder is None:
            from harness.reports import RunFolder

            if self._worker:
                factory = getattr(self.config, "_tmp_path_factory", None)
                root = (factory.getbasetemp() if factory is not None
                        else Path(tempfile.mkdtemp(prefix="consent-harness-")))
                self._folder = RunFolder(_fresh(root / "consent-harness"))
            else:
                self._folder = RunFolder(_fresh(self.path))
        return self._folder

    def merge(self, data: dict[str, Any], source: Path, worker: str) -> None:
        """A worker's result: its files moved from the worker's staging folder into ours."""
        from harness.model import ScenarioResult

        result = ScenarioResult.model_validate(data)
        target = self.folder.scenario_dir(result.scenario, file=result.file)
        if source.is_dir() and source.resolve() != target.resolve():
            for child in source.iterdir():
                shutil.move(str(child), str(target / child.name))
        self.results.append(result)
        self.devices.add(worker)

    def device(self) -> Any:
        if self._device is None:
            from harness.cli._devices import provide_devices

            serials: list[str] = self.config.getoption("ch_devices")
            if serials:
                serials = [serials[self.worker_index % len(serials)]]
            # --sim N: this worker's one simulated device; neither: the one device rule
            # (ANDROID_SERIAL, else the simulator).
            sim = 1 if self.config.getoption("ch_sim") else None
            devices = self._stack.enter_context(
                provide_devices(serials, sim, self.config.getoption("ch_adb"), say=lambda _m: None)
            )
            self._device = devices[0]
        return self._device

    def write(self) -> None:
        """summary.json, report.html, junit.xml… of every result (not in a worker)."""
        if self._worker or not self.results:
            return
        from harness import __version__
        from harness.model import RunSummary
        from harness.reports import write_reports

        results = self.results
        if self.devices:  # merged from workers: in the order of the files, not of arrival
            results = sorted(results, key=lambda r: (r.file or "", r.line or 0))
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            write_reports(self.folder, RunSummary(harness_version=__version__,
                                                  started_at=now, finished_at=now,
                                                  scenarios=results,
                                                  interrupted=self.interrupted))
        except (HarnessError, OSError) as exc:
            self.write_error = str(exc)

    def close(self) -> None:
        self._stack.close()


def _fresh(path: Path, *, check_only: bool = False) -> Path:
    """An empty run folder: a previous report there is replaced, anything else refused
    (the rule of ``consent-harness run --report``)."""
    if path.exists():
        if not path.is_dir():
            raise InputError("exists and is not a folder", path=str(path), field="--ch-report")
        previous = ("manifest.json", "summary.json", "scenarios")
        if any(path.iterdir()):
            if not any((path / name).exists() for name in previous):
                raise InputError("the folder is not empty and does not hold a previous "
                                 "report; choose another --ch-report", path=str(path),
                                 field="--ch-report")
            if not check_only:
                shutil.rmtree(path)
    return path


_POOL = pytest.StashKey[_DevicePool]()
#: The pool of this process's session when it is not an xdist worker.
_CONTROLLER: list[_DevicePool] = []

#: Exit status of an interrupted session (as ``consent-harness run``).
INTERRUPTED_EXIT = 130


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: the running scenario closes its trace
    # (``interrupted``), its app is stopped, the devices we started are torn down.
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    pool = _DevicePool(config)
    config.stash[_POOL] = pool
    if not hasattr(config, "workerinput"):
        _CONTROLLER.append(pool)
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _terminate)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pool = session.config.stash.get(_POOL, None)
    if pool is None:
        return
    pool.write()  # before the terminal summary, which names the folder
    if pool.interrupted:
        session.exitstatus = INTERRUPTED_EXIT


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    pool = config.stash.get(_POOL, None)
    if pool is None or not pool.results:
        return
    folder = pool.folder.path
    try:
        shown = folder.relative_to(Path.cwd())
    except ValueError:
        shown = folder
    n = len(pool.results)
    devices = f" on {len(pool.devices)} devices" if len(pool.devices) > 1 else ""
    terminalreporter.write_sep("-", "consent-harness")
    terminalreporter.write_line(f"consent-harness run folder: {shown}  "
                                f"({n} scenario{'s' if n != 1 else ''}{devices}: "
                                "report.html, junit.xml, summary.json)")
    if not pool.explicit:
        terminalreporter.write_line("  (the default folder, replaced by the next run; "
                                    "--ch-report DIR puts it elsewhere)")
    if pool.write_error:
        terminalreporter.write_line(f"consent-harness: the report could not be written: "
                                    f"{pool.write_error}", red=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    pool = config.stash.get(_POOL, None)
    if pool is not None:
        if pool in _CONTROLLER:
            _CONTROLLER.remove(pool)
        pool.close()
