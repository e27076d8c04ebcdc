"""Instrumentation benchmarks: prints medians; asserts nothing (DESIGN §8).

    /work/venv/bin/python benchmarks/bench_instrument.py [--quick] [--no-sim]

* per-call overhead, measured inside the app (ProbeApp ``bench``: median of 5 rounds of
  N calls, System.nanoTime): unhooked; hooked without a stack; hooked with a stack
  (JVMTI + interning, the default); the Throwable fallback; the naive
  Log.getStackTraceString(new Throwable()).
* launch → hooks active (ProbeApp through the debug-wait strategy; and a sim app over
  real adb, unless ``--no-sim``).
* host ingestion: events/s from a burst, agent → trace file.
* RSS added per instrumented app.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _figures import compare, save  # noqa: E402

from tests.hooks.probe import (  # noqa: E402
    PACKAGE,
    ProbeDevice,
    ProbeProcess,
    probe_catalog,
    probe_entries,
)


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def per_call(what: str, n: int, config: dict[str, Any] | None) -> float:
    """ns per call of ProbeApp's `bench what n`, hooked with `config` (None = no agent)."""
    import frida

    from harness.instrument.agent import agent_source
    from harness.instrument.launch import wait_local_vm_ready

    with ProbeProcess(["bench", what, str(n), "hold"], wait=config is not None) as probe:
        if config is not None:
            assert wait_local_vm_ready(probe.pid)
            session = frida.get_local_device().attach(probe.pid)
            script = session.create_script(agent_source())
            script.on("message", lambda m, d: None)
            script.load()
            full = {
                "protocol": 1,
                "catalog": probe_entries(),
                "batch_max": 500,
                "batch_ms": 50,
                "app_package": PACKAGE,
                "release_debugger": True,
            }
            full.update(config)
            script.exports_sync.init(full)
        line = probe.wait_line("BENCH", timeout=600)
    return float(line.split("ns_per_call=")[1].split()[0])


def launch_and_ingest(n_burst: int, rounds: int) -> tuple[list[float], list[float], list[float]]:
    from harness.instrument import launch
    from harness.instrument.types import LaunchInfo
    from harness.model import AppInfo, TraceHeader
    from harness.tracefile import TraceWriter

    launch_ms: list[float] = []
    rates: list[float] = []
    rss_mb: list[float] = []
    catalog = probe_catalog()
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:

            def writer(info: LaunchInfo, tmp: str = tmp) -> TraceWriter:
                header = TraceHeader(
                    created_at="now",
                    harness_version="bench",
                    app=AppInfo(package=PACKAGE),
                    catalog_hash=catalog.hash,
                )
                return TraceWriter(Path(tmp) / "t.jsonl", header)

            # baseline RSS of the same program, no agent
            with ProbeProcess(["sleep", "1500", "ready"], wait=False) as plain:
                plain.wait_line("DONE sleep")
                base = _rss_kb(plain.pid)
            device = ProbeDevice(["sleep", "1500", "stdin", "burst", str(n_burst), "4", "hold"])
            t0 = time.monotonic()
            app = launch(device, PACKAGE, writer, catalog=catalog)
            launch_ms.append(app.timings_ms["total"])
            assert device.process is not None
            device.process.wait_line("DONE sleep")
            rss_mb.append((_rss_kb(app.pid) - base) / 1024)
            t0 = time.monotonic()
            device.process.send_line()
            while app.flush() < n_burst:
                time.sleep(0.05)
            rates.append(n_burst / (time.monotonic() - t0))
            app.stop()
            device.close()
    return launch_ms, rates, rss_mb


def host_ingestion(n: int) -> float:
    """Events/s through the host alone: agent batches (as the agent sends them) → validated
    messages → trace records → TraceWriter, on the consumer thread. No app involved."""
    from harness.instrument import InstrumentedApp, Strategy
    from harness.model import AppInfo, TraceHeader
    from harness.tracefile import TraceWriter

    catalog = probe_catalog()
    app = InstrumentedApp(
        device=ProbeDevice([]),
        package=PACKAGE,
        catalog=catalog,
        frida_device=None,  # type: ignore[arg-type]
        frida_kind="local",
        strategy=Strategy.DEBUG_WAIT,
    )
    stacks = {
        "0": [
            "android.provider.Settings$Secure.getString(Native Method)",
            "com.example.sdk.Tracker.collect(Tracker.java:12)",
            "com.example.probe.ProbeApp.main(ProbeApp.java:41)",
        ]
    }
    batches = []
    for b in range(n // 500):
        events = [
            {
                "type": "call",
                "seq": b * 500 + i,
                "ts": 1.7e12 + i,
                "tid": 100 + i % 4,
                "thread": f"burst-{i % 4}",
                "id": "settings.android_id",
                "overload": "android.content.ContentResolver,java.lang.String",
                "args": ["android.content.ContentResolver@1b6d3586", "android_id"],
                "ret": "9774d56d682e549c",
                "threw": None,
                "stack": 0,
            }
            for i in range(500)
        ]
        msg: dict[str, Any] = {"type": "events", "seq": b, "pid": 1, "events": events}
        if b == 0:
            msg["stacks"] = stacks
        batches.append({"type": "send", "payload": msg})
    with tempfile.TemporaryDirectory() as tmp:
        header = TraceHeader(
            created_at="now",
            harness_version="bench",
            app=AppInfo(package=PACKAGE),
            catalog_hash=catalog.hash,
        )
        writer = TraceWriter(Path(tmp) / "t.jsonl", header)
        app.start_recording(writer)
        t0 = time.monotonic()
        for m in batches:
            app._on_message(m, None)  # noqa: SLF001 - exactly what Frida's callback does
        app.flush(600)  # no agent: waits for the consumer only
        elapsed = time.monotonic() - t0
        assert app.events == n
        writer.close()
    return n / elapsed


#: Phases of each simulated launch (``InstrumentedApp.timings_ms``), for the breakdown.
SIM_PHASES: dict[str, list[float]] = {}


def sim_launch(rounds: int) -> list[float]:
    from harness.catalog import load_catalog
    from harness.device import AdbServer, connect
    from harness.instrument import launch
    from harness.sim import SimCluster
    from harness.tracefile import TraceWriter

    catalog = load_catalog()
    out: list[float] = []
    with SimCluster(count=1, preinstall=True) as sim, tempfile.TemporaryDirectory() as tmp:
        device = connect(sim.serials[0], AdbServer(host=sim.adb_host, port=sim.adb_port))
        for _ in range(rounds):
            from harness.model import AppInfo, TraceHeader

            header = TraceHeader(
                created_at="now",
                harness_version="bench",
                app=AppInfo(package="com.example.news"),
                catalog_hash=catalog.hash,
            )
            app = launch(
                device,
                "com.example.news",
                TraceWriter(Path(tmp) / "t.jsonl", header),
                catalog=catalog,
            )
            out.append(app.timings_ms["total"])
            for phase, ms in app.timings_ms.items():
                if phase != "total":
                    SIM_PHASES.setdefault(phase, []).append(ms)
            app.stop()
    return out


def _row(key: str, label: str, values: list[float], unit: str, digits: int = 0) -> None:
    runs = [round(v, digits) if digits else round(v) for v in values]
    median = statistics.median(values)
    print(f"  {label:<48} median {compare(f'instrument.{key}', median, unit)}   runs {runs}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer calls and rounds")
    parser.add_argument("--no-sim", dest="sim", action="store_false",
                        help="skip timing launches on the simulator (launch → hooks active)")
    args = parser.parse_args()
    n = 5_000 if args.quick else 20_000
    rounds = 2 if args.quick else 3

    print("per-call cost (ns, median of 5 rounds inside the app; getDeviceId)")
    rows = [
        ("unhooked", "deviceid", None),
        ("hooked, no stack", "deviceid", {"stack": False}),
        ("hooked, stack (jvmti, default)", "deviceid", {"stack": 32}),
        (
            "hooked, stack (throwable fallback)",
            "deviceid",
            {"stack": 32, "stack_strategy": "throwable"},
        ),
        (
            "hooked, stack (naive Log.getStackTraceString)",
            "deviceid",
            {"stack": 32, "stack_strategy": "naive"},
        ),
    ]
    per_call_default = float("nan")
    for label, what, config in rows:
        calls = n if config is None or config.get("stack_strategy") is None else max(n // 4, 1000)
        values = [
            per_call(what, calls * (20 if config is None else 1), config) for _ in range(rounds)
        ]
        _row("per_call_ns." + label.split(" (")[0].replace(", ", "_").replace(" ", "_"),
             label, values, "ns")
        if label == "hooked, stack (jvmti, default)":
            per_call_default = statistics.median(values)

    burst = 20_000 if args.quick else 100_000
    launch_ms, rates, rss = launch_and_ingest(burst, rounds)
    _row("launch_ms", "launch → hooks active (probe, debug-wait)", launch_ms, "ms")
    _row("end_to_end_events_per_s",
         f"end to end: app burst → trace ({burst} events, 4 threads)", rates, "events/s")
    # The agent's own ceiling: hooks share one JS lock, so the app cannot make hooked calls
    # faster than 1 / (in-app cost of one), whatever the host does.
    ceiling = 1e9 / per_call_default
    print(f"  {'the agent ceiling (1 / in-app cost per call)':<48} {ceiling:>17,.0f} events/s"
          f"   end to end = {statistics.median(rates) / ceiling:.0%} of it (goal ≥ 90 %)")
    ingest = [host_ingestion(burst) for _ in range(rounds)]
    _row("ingestion_events_per_s", f"host ingestion alone ({burst} events)", ingest, "events/s")
    _row("rss_mb", "RSS added per instrumented app", rss, "MB", 1)
    if args.sim:
        sims = sim_launch(rounds)
        _row("sim_launch_ms", "launch → hooks active (sim news app; goal ≤ 500 ms)", sims, "ms")
        # Where it goes: `attach` and `load` are Frida's own (injecting frida-agent into a
        # HotSpot JVM; the Java bridge finding the VM), not the harness's.
        print("    of which (medians, ms): " + ", ".join(
            f"{phase} {statistics.median(v):.0f}" for phase, v in SIM_PHASES.items()))
    save()


if __name__ == "__main__":
    main()
