"""Read + score throughput and memory of big traces.

    /work/venv/bin/python benchmarks/bench_score.py            # 250k, 500k, 1M events
    /work/venv/bin/python benchmarks/bench_score.py --sizes 1000000 --runs 5

Generates traces in a temporary folder in the writer's exact layout (redacted values,
12-frame stacks from 48 SDK code paths, each written once as a ``stack`` record that the
calls refer to, 20 APIs, a consent dialog agreed to after ~2%
of the events, a scope so that the unrelated-function rule has work), then for each size
runs ``score(open_trace(path))`` in fresh child processes and prints events/s (median
over the runs) and the peak resident memory of the child. Memory must not grow with the
trace: compare the peaks across sizes. Target (DESIGN): ≥ 300,000 events/s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec
from _figures import compare, save  # this folder's own module

from harness.model import CallEvent, Category, Marker, MarkerKind, TraceEnd
from harness.testing import T0, TraceBuilder
from harness.tracefile import Redactor, TraceWriter
from harness.tracefile.stacks import StackTable

APIS = [
    ("telephony.imei", Category.DEVICE_ID, ["0"], "861234567890123"),
    ("settings.secure.android_id", Category.DEVICE_ID, ["android_id"], "9774d56d682e549c"),
    ("gms.ad_id", Category.DEVICE_ID, [], "3f9a1c2e-1234-4abc-9def-0123456789ab"),
    ("wifi_info.mac", Category.NETWORK_ID, [], "02:00:00:44:55:66"),
    ("wifi_info.ssid", Category.LOCATION, [], "HomeNet-5G"),
    ("location.last_known", Category.LOCATION, ["gps"], "39.9042,116.4074"),
    ("location.updates", Category.LOCATION, ["network", "60000", "10.0"], None),
    ("pm.installed_packages", Category.INSTALLED_APPS, ["0"], "[312 packages]"),
    ("am.running_processes", Category.RUNNING_APPS, [], "[18 processes]"),
    ("clipboard.primary_clip", Category.CLIPBOARD, [], "ClipData { text/plain }"),
    ("telephony.line1_number", Category.PHONE_NUMBER, [], "+8613800138000"),
    ("telephony.subscriber_id", Category.DEVICE_ID, [], "460001234567890"),
    ("accounts.all", Category.ACCOUNTS, [], "[Account {name=user@example.com}]"),
    ("resolver.query.contacts", Category.CONTACTS, ["content://com.android.contacts/data"], None),
    ("telephony.cell_location", Category.LOCATION, [], "[lac=1234,cid=5678]"),
    ("wifi.scan_results", Category.LOCATION, [], "[7 results]"),
    ("telephony.sim_serial", Category.DEVICE_ID, [], "89860012345678901234"),
    ("build.serial", Category.DEVICE_ID, [], "R58M12ABCDE"),
    ("bluetooth.address", Category.NETWORK_ID, [], "02:00:00:aa:bb:cc"),
    ("usage_stats.query", Category.RUNNING_APPS, ["0", "0", "1700000000000"], "[...]"),
]
SDKS = [
    "com.example.sdk.analytics",
    "com.example.sdk.push",
    "com.example.sdk.maps",
    "com.example.sdk.ads",
    "com.example.sdk.crash",
    "com.example.news",
]
SIZES = (250_000, 500_000, 1_000_000)


def _stack(rng: random.Random, sdk: str, depth: int = 12) -> list[str]:
    own = [
        f"{sdk}.internal.C{rng.randrange(40)}.m{rng.randrange(9)}(C.java:{rng.randrange(900)})"
        for _ in range(4)
    ]
    framework = [
        "android.os.Handler.handleCallback(Handler.java:938)",
        "android.os.Handler.dispatchMessage(Handler.java:99)",
        "android.os.Looper.loopOnce(Looper.java:201)",
        "android.os.Looper.loop(Looper.java:288)",
        "android.app.ActivityThread.main(ActivityThread.java:7870)",
        "java.lang.reflect.Method.invoke(Native Method)",
        "com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:548)",
        "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:1003)",
    ]
    return ["android.app.ContextImpl.getSystemService(ContextImpl.java:1)", *own, *framework][
        :depth
    ]


def generate(path: Path, events: int, seed: int = 7) -> None:
    """Write a trace of ``events`` calls (plus a few markers) in the writer's layout."""
    rng = random.Random(seed)
    redactor = Redactor(b"bench-salt")
    # Line templates from the real models, so the layout is exactly the writer's.
    templates: list[tuple[str, str, list[str]]] = []
    for _ in range(48):
        api, category, args, ret = rng.choice(APIS)
        sdk = rng.choice(SDKS)
        call = redactor.call(
            CallEvent(
                seq=0,
                ts=0.0,
                pid=4242,
                tid=rng.randrange(1, 30),
                thread=rng.choice(["main", "pool-2-thread-1", "Analytics-IO", "push-worker"]),
                api=api,
                category=category,
                overload="",
                args=args,
                ret=ret,
                stack=_stack(rng, sdk),
            )
        )
        text = msgspec.json.encode(msgspec.structs.replace(call, stack=[])).decode()
        head, tail = text.split('"seq":0,"ts":0.0,', 1)
        templates.append((head, tail[:-1], call.stack))
    builder = TraceBuilder().header(
        app="com.example.news", scope=["location", "device_id", "network_id"]
    )
    header = builder.build().header
    grant_at = events // 50
    with TraceWriter(path, header, salt=b"bench-salt") as writer:
        writer.write(
            [
                Marker(marker=MarkerKind.HOOKS_READY, ts=T0, source="agent", seq=0),
                Marker(marker=MarkerKind.CONSENT_SHOWN, ts=T0 + 1, source="agent", seq=1),
            ]
        )
        assert writer._file is not None  # noqa: SLF001 — bulk lines, same layout
        out = writer._file  # noqa: SLF001
        batch: list[str] = []
        stacks = StackTable()  # the writer's own interning, once per template
        refs: dict[int, str] = {}
        for i in range(events):
            if i == grant_at:
                grant = Marker(
                    marker=MarkerKind.CONSENT_GRANTED,
                    ts=T0 + 2 + i * 0.06,
                    source="agent",
                    seq=i + 2,
                )
                batch.append(grant.model_dump_json())
            pick = rng.randrange(len(templates))
            head, tail, stack = templates[pick]
            ref = refs.get(pick)
            if ref is None:
                number, definition = stacks.ref(stack)
                if definition is not None:
                    batch.append(definition)
                ref = refs[pick] = f',"stack_ref":{number}}}'
            batch.append(f'{head}"seq":{i + 3},"ts":{T0 + 2 + i * 0.06 + 0.01!r},{tail}{ref}')
            if len(batch) >= 1000:
                out.write(("\n".join(batch) + "\n").encode())
                batch.clear()
        if batch:
            out.write(("\n".join(batch) + "\n").encode())
        writer.events = events
        writer.close(TraceEnd(ts=T0 + 2 + events * 0.06, reason="completed"))


def measure(path: Path, mode: str = "score") -> dict[str, float]:
    """Child side: read + score once; report time and peak RSS.

    ``mode``: ``score`` (verdicts alone, markers read from the file), ``separate`` (what
    a scenario's end cost before issue 12 item 3: verdicts, then the report's digest in
    its own two passes), ``onepass`` (what the runner does now: verdicts and digest on one
    pass, given the writer's markers and call span)."""
    from harness.model import CallEvent as Call
    from harness.reports.digest import digest_trace, score_and_digest, take_digest
    from harness.scoring import score
    from harness.tracefile import CallSpan, open_trace

    known: tuple[list[Marker], CallSpan] | None = None
    if mode == "onepass":  # the writer had these for free: not timed
        trace = open_trace(path)
        ts = [r.ts for r in trace.records() if type(r) is Call]
        known = list(trace.markers()), CallSpan(len(ts), min(ts), max(ts))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if known is not None:
        report = score_and_digest(open_trace(path), markers=known[0], span=known[1],
                                  app_package="com.example.bench")
        assert take_digest(path, "com.example.bench") is not None
    else:
        report = score(open_trace(path))
        if mode == "separate":
            seqs = [e.seq for r in report.rules for e in r.evidence]
            digest_trace(path, evidence_seqs=seqs, app_package="com.example.bench")
    elapsed = time.perf_counter() - start
    return {
        "calls": report.calls,
        "seconds": elapsed,
        "rss_import_mb": rss_before / 1024,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "verdict": report.verdict.value,  # type: ignore[dict-item]
    }


def calibrate() -> tuple[float, float]:
    """This machine's speed, to compare figures across machines: µs per
    ``sum(range(1000))`` (a 2023 desktop with CPython 3.11: about 8-10 µs) and the
    ceiling set by the parser the reader uses alone: msgspec decoding one benchmark call
    line into a ``CallEvent`` (lines/s)."""
    import timeit

    decode = msgspec.json.Decoder(CallEvent).decode
    loop = min(timeit.repeat("sum(range(1000))", number=2000, repeat=3)) / 2000 * 1e6
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.jsonl"
        generate(path, 10)
        line = next(x for x in path.read_bytes().splitlines() if x.startswith(b'{"kind":"call"'))
    parse = min(timeit.repeat(lambda: decode(line), number=20000, repeat=3)) / 20000
    return loop, 1 / parse


def _child(path: Path, mode: str) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--mode", mode],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, float] = json.loads(child.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="score", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.mode)))
        return

    loop_us, parse_rate = calibrate()
    print(
        f"machine: sum(range(1000)) = {loop_us:.1f} µs (typical desktop ≈ 8-10 µs); "
        f"the reader's parser alone (msgspec → CallEvent) caps this machine at "
        f"{parse_rate:,.0f} lines/s"
    )
    with tempfile.TemporaryDirectory(prefix="bench-score-") as tmp:
        print(
            f"{'events':>10}  {'events/s (median)':>18}  {'runs':>4}  "
            f"{'peak RSS MB':>11}  {'RSS after import MB':>19}  file MB"
        )
        for size in args.sizes:
            path = Path(tmp) / f"trace-{size}.jsonl"
            generate(path, size)
            results = []
            for _ in range(args.runs):
                results.append(_child(path, "score"))
            rates = [r["calls"] / r["seconds"] for r in results]
            peak = max(r["rss_peak_mb"] for r in results)
            base = min(r["rss_import_mb"] for r in results)
            median = statistics.median(rates)
            print(
                f"{size:>10,}  {median:>18,.0f}  {len(rates):>4}  "
                f"{peak:>11.1f}  {base:>19.1f}  {path.stat().st_size / 1e6:.0f}"
            )
            rate = compare(f"score.{size}.events_per_s", median, "events/s")
            print(f"{'':>10}  read + score: {rate}; {median / parse_rate:.0%} of the parser's "
                  f"ceiling; peak RSS {compare(f'score.{size}.peak_rss_mb', peak, 'MB')}")
            # A scenario's end: verdicts and the report's digest, then and now.
            ends: dict[str, float] = {}
            for mode in ("separate", "onepass"):
                runs = [_child(path, mode) for _ in range(args.runs)]
                ends[mode] = statistics.median(r["calls"] / r["seconds"] for r in runs)
            one = compare(f"score.{size}.with_digest_events_per_s", ends["onepass"], "events/s")
            print(f"{'':>10}  verdicts + digest: one pass {one} "
                  f"(three passes, as before: {ends['separate']:,.0f} events/s)")
            path.unlink()
    save()


if __name__ == "__main__":
    main()
