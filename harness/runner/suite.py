"""A suite of scenarios over one or more devices: one worker thread per device, each
taking the next scenario from a shared queue (no scheduler of our own beyond that)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from harness import __version__
from harness.catalog import load_catalog
from harness.device import Device
from harness.errors import HarnessError
from harness.model import RunSummary, ScenarioResult, Verdict
from harness.reports import RunFolder
from harness.runner.scenario_run import RunOptions, run_scenario
from harness.scenario import Scenario

log = logging.getLogger(__name__)

#: How long an interrupted suite waits for its running scenarios to close (s).
INTERRUPT_GRACE_S = 60.0


@dataclass(frozen=True)
class Progress:
    """What a suite reports while it runs (called from worker threads, serialised)."""

    index: int
    total: int
    scenario: Scenario
    device: str
    message: str
    result: ScenarioResult | None = None


@contextlib.contextmanager
def _animations_off(device: Device) -> Iterator[bool]:
    """Animation scales at 0 for a device's whole share of the suite (restored after):
    once per device, not 9 shell calls per scenario. False when the device refused, and
    each scenario then tries on its own."""
    try:
        cm = device.no_animations()
        cm.__enter__()
    except HarnessError as exc:
        log.warning("%s: cannot turn animations off: %s", device.serial, exc)
        yield False
        return
    try:
        yield True
    finally:
        cm.__exit__(None, None, None)


def run_suite(
    scenarios: Sequence[Scenario],
    devices: Sequence[Device],
    folder: RunFolder,
    *,
    options: RunOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> RunSummary:
    """Run every scenario once, spread over ``devices``; results keep the input order.

    On KeyboardInterrupt (SIGINT, or SIGTERM turned into one by the CLI) the running
    scenarios stop at their next check — trace ended ``interrupted``, app force-stopped —
    no new one starts, and the summary of what ran comes back with ``interrupted``.
    """
    started = dt.datetime.now(dt.timezone.utc)
    cancel = threading.Event()
    catalog = load_catalog()
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(scenarios)):
        todo.put(i)
    results: dict[int, ScenarioResult] = {}
    lock = threading.Lock()

    def report(p: Progress) -> None:
        if on_progress is not None:
            with lock:
                on_progress(p)

    def worker(device: Device, done: threading.Event) -> None:
        try:
            with _animations_off(device) as off:
                work(device, off)
        finally:
            done.set()

    def work(device: Device, animations_off: bool) -> None:
        while True:
            if cancel.is_set():
                return
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            sc = scenarios[i]
            say = lambda msg, i=i, sc=sc: report(  # noqa: E731
                Progress(i, len(scenarios), sc, device.serial, msg))
            say("started")
            directory = folder.scenario_dir(sc.name, file=str(sc.source.file))
            result = run_scenario(sc, device, directory, options=options, catalog=catalog,
                                  progress=say, cancel=cancel, animations_off=animations_off)
            with lock:
                results[i] = result
            report(Progress(i, len(scenarios), sc, device.serial, "finished", result))

    # Waiting on events, not Thread.join: a KeyboardInterrupt inside join() can leave
    # the thread marked as stopped (CPython bpo-45274), and the run would not wait.
    dones = [threading.Event() for _ in devices]
    threads = [threading.Thread(target=worker, args=(d, e), name=f"device-{d.serial}",
                                daemon=True) for d, e in zip(devices, dones, strict=True)]
    for t in threads:
        t.start()
    try:
        for done in dones:
            while not done.wait(0.5):
                pass
    except KeyboardInterrupt:
        cancel.set()
        # the workers close their traces and stop their apps; a second signal while
        # they do is not waited for (the device context still tears everything down)
        deadline = time.monotonic() + INTERRUPT_GRACE_S
        for done in dones:
            done.wait(max(0.0, deadline - time.monotonic()))
    ordered = [results[i] for i in sorted(results)]
    counts = Counter(r.verdict.value for r in ordered)
    counts["mismatches"] = sum(1 for r in ordered if r.mismatches)
    return RunSummary(
        harness_version=__version__,
        started_at=started.isoformat(timespec="seconds"),
        finished_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        scenarios=ordered,
        counts={k: counts.get(k, 0) for k in [v.value for v in Verdict] + ["mismatches"]},
        interrupted=cancel.is_set(),
        # the one record of what was tested, read by every report
        apps=list(options.apps.values()) if options is not None else [],
    )
