"""Hook recall, measured against the simulator's ground-truth tap.

A sim app runs one standard scenario through the harness (the real runner, real Frida); the
simulator's tap (``/data/system/sim-tap/<pkg>.jsonl``, one line per call of a sensitive
surface method, recorded inside the stub) is read over ADB afterwards. Every tapped call the
catalog covers (class, method, overload, and its argument matcher) must appear in the
harness's trace; tapped calls the catalog does not cover form the uncovered list.

Shared by ``tests/recall`` (asserts 100 %) and ``benchmarks/bench_recall.py`` (prints the table).
The harness never reads the tap: only this test bed does.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.catalog import Catalog, CatalogEntry, load_catalog
from harness.catalog.exclusions import Exclusions, load_exclusions
from harness.device import Device
from harness.runner import run_scenario
from harness.scenario import Scenario, load_scenarios
from harness.tracefile import open_trace

TAP_DIR = "/data/system/sim-tap"
KINDS = ("observe", "agree", "refuse")

#: The standard steps (tools/gen_scenarios.py): long enough for delayed/periodic collection.
STEPS = {
    "observe": ["observe: 6"],
    "agree": ["wait_for_consent", "observe: 3", "agree", "observe: 4"],
    "refuse": ["wait_for_consent", "observe: 3", "refuse", "observe: 4"],
}


def api_of(cls: str, method: str, params: list[str] | tuple[str, ...]) -> str:
    return f"{cls}.{method}({','.join(params)})"


def split_api(api: str) -> tuple[str, str, tuple[str, ...]]:
    """'a.b.C.m(int,java.lang.String)' -> ('a.b.C', 'm', ('int', 'java.lang.String'))."""
    head, _, rest = api.partition("(")
    cls, _, method = head.rpartition(".")
    params = rest[:-1]
    return cls, method, tuple(p for p in params.split(",") if p)


#: The reason of a tapped, uncovered API that is neither hooked nor in the exclusion list.
UNACCOUNTED = "UNACCOUNTED: neither hooked nor excluded"


@dataclass
class Coverage:
    """Which catalog entries hook a tapped call (by signature, then by argument matcher)."""

    catalog: Catalog
    by_method: dict[tuple[str, str], list[CatalogEntry]] = field(default_factory=dict)
    exclusions: Exclusions = field(default_factory=load_exclusions)

    def __post_init__(self) -> None:
        for e in self.catalog.entries:
            self.by_method.setdefault((e.class_name, e.method), []).append(e)

    def signature_entries(self, api: str) -> list[CatalogEntry]:
        cls, method, params = split_api(api)
        return [e for e in self.by_method.get((cls, method), [])
                if e.overloads is None or params in {tuple(o) for o in e.overloads}]

    def why_not(self, api: str) -> str:
        """Why a tapped call is not covered: ``argument not matched`` (the method is
        hooked, this argument is not personal data), ``excluded: <kind>`` (listed in
        harness/catalog/exclusions.json with a reason), or ``UNACCOUNTED``."""
        if self.signature_entries(api):
            return "argument not matched"
        cls, method, params = split_api(api)
        excluded = self.exclusions.find(cls, method, params)
        return f"excluded: {excluded.kind}" if excluded is not None else UNACCOUNTED

    def entry_for(self, api: str, args: list[str]) -> CatalogEntry | None:
        """The entry the agent would report this call under, or None (not covered)."""
        for e in self.signature_entries(api):
            if e.match is None:
                return e
            if e.match.arg < len(args) and e.match.matches(args[e.match.arg]):
                return e
        return None


@dataclass
class RunRecall:
    app: str
    kind: str
    tapped: Counter[str] = field(default_factory=Counter)  # covered api -> tapped calls
    hooked: Counter[str] = field(default_factory=Counter)  # covered api -> of those, in the trace
    category: dict[str, str] = field(default_factory=dict)  # covered api -> catalog category
    uncovered: Counter[str] = field(default_factory=Counter)  # api (+ reason) -> tapped calls
    verdict: str = ""
    mismatches: list[str] = field(default_factory=list)
    apis: set[str] = field(default_factory=set)  # every tapped API judged (covered or not)

    @property
    def missed(self) -> Counter[str]:
        return self.tapped - self.hooked


def scenario_for(app: str, kind: str, tmp: Path, early_prompt: bool = False) -> Scenario:
    steps = STEPS[kind]
    if early_prompt and kind != "observe":
        steps = ["permissions: deny", *steps]
    text = "\n".join([
        f"name: recall {app} {kind}",
        f"app: {app}",
        "timeout: {consent: 6}",
        "steps:",
        *(f"  - {s}" for s in steps),
    ]) + "\n"
    path = tmp / f"{app}-{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    (only,) = load_scenarios(path)
    return only


def read_tap(device: Device, app: str) -> list[dict[str, Any]]:
    try:
        data = device.read_file(f"{TAP_DIR}/{app}.jsonl").decode("utf-8")
    except Exception:  # no file: the app made no sensitive call
        return []
    return [json.loads(line) for line in data.splitlines() if line.endswith("}")]


def trace_calls(trace: Path, catalog: Catalog) -> tuple[Counter[str], set[int], float | None]:
    """(api -> calls the agent reported, pids it traced, device time of its last call)."""
    calls: Counter[str] = Counter()
    pids: set[int] = set()
    last: float | None = None
    for rec in open_trace(trace).records():
        if getattr(rec, "kind", None) != "call":
            continue
        entry = catalog.get(rec.api)  # type: ignore[union-attr]
        if entry is None:
            continue
        params = tuple(p for p in rec.overload.split(",") if p)  # type: ignore[union-attr]
        calls[api_of(entry.class_name, entry.method, params)] += 1
        pids.add(rec.pid)  # type: ignore[union-attr]
        last = rec.ts if last is None else max(last, rec.ts)  # type: ignore[union-attr]
    return calls, pids, last


def compare(app: str, kind: str, tap: list[dict[str, Any]], trace: Path,
            coverage: Coverage) -> RunRecall:
    """Tapped calls vs the trace. Covered calls are judged up to the agent's last reported
    call: after it, the run was stopping and no hook can be asked to have seen them. The
    uncovered list needs no trace and takes every tapped call of the traced process."""
    out = RunRecall(app, kind)
    seen, pids, last = trace_calls(trace, coverage.catalog)
    for call in tap:
        # A call of a process the trace never saw is judged all the same when that process
        # is one of the app's own further ones (``pkg:push``): missing it is what is measured.
        if pids and call["pid"] not in pids and call.get("process", app) == app:
            continue
        entry = coverage.entry_for(call["api"], call.get("args", []))
        if entry is None:
            out.apis.add(call["api"])
            why = coverage.why_not(call["api"])
            out.uncovered[f"{call['api']} [{why}]"] += 1
            continue
        if last is not None and call["t"] > last:
            continue
        out.apis.add(call["api"])
        out.tapped[call["api"]] += 1
        out.category[call["api"]] = entry.category.value
    for api, n in out.tapped.items():
        out.hooked[api] = min(n, seen.get(api, 0))
    return out


def measure(device: Device, app: str, kind: str, tmp: Path, *, early_prompt: bool = False,
            catalog: Catalog | None = None) -> RunRecall:
    """Run ``app``'s standard ``kind`` scenario through the harness and compare with the tap."""
    catalog = catalog or load_catalog()
    device.shell(["rm", "-f", f"{TAP_DIR}/{app}.jsonl"])
    sc = scenario_for(app, kind, tmp, early_prompt)
    out_dir = tmp / f"{app}-{kind}"
    result = run_scenario(sc, device, out_dir, catalog=catalog)
    tap = read_tap(device, app)
    recall = compare(app, kind, tap, out_dir / "trace.jsonl", Coverage(catalog))
    recall.verdict = result.verdict.value
    recall.mismatches = list(result.mismatches)
    if result.error:
        recall.mismatches.append(f"error: {result.error}")
    return recall


def table(runs: list[RunRecall]) -> list[tuple[str, str, int, int, int]]:
    """(app, category, tapped, hooked, missed) rows, summed over each app's scenarios."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in runs:
        for api, n in r.tapped.items():
            cell = rows[(r.app, r.category[api])]
            cell[0] += n
            cell[1] += r.hooked[api]
    return [(app, cat, t, h, t - h) for (app, cat), (t, h) in sorted(rows.items())]


def uncovered(runs: list[RunRecall]) -> Counter[str]:
    total: Counter[str] = Counter()
    for r in runs:
        total.update(r.uncovered)
    return total


def render(runs: list[RunRecall]) -> str:
    lines = [f"{'app':<28} {'category':<18} {'tapped':>7} {'hooked':>7} {'missed':>7}"]
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for app, cat, t, h, m in table(runs):
        lines.append(f"{app:<28} {cat:<18} {t:>7} {h:>7} {m:>7}")
        cats[cat][0] += t
        cats[cat][1] += h
    lines.append("")
    lines.append(f"{'per category':<47} {'tapped':>7} {'hooked':>7} {'recall':>7}")
    for cat, (t, h) in sorted(cats.items()):
        lines.append(f"{cat:<47} {t:>7} {h:>7} {100.0 * h / t if t else 100.0:>6.1f}%")
    t_all = sum(t for t, _ in cats.values())
    h_all = sum(h for _, h in cats.values())
    lines.append(f"{'all':<47} {t_all:>7} {h_all:>7} "
                 f"{100.0 * h_all / t_all if t_all else 100.0:>6.1f}%")
    missed = [(r.app, r.kind, api, n) for r in runs for api, n in r.missed.items() if n]
    if missed:
        lines.append("")
        lines.append("missed calls (tapped, covered by the catalog, absent from the trace):")
        lines += [f"  {app} {kind}: {api} x{n}" for app, kind, api, n in missed]
    lines.append("")
    lines.append("tapped APIs the catalog does not hook (computed from the tap):")
    unc = uncovered(runs)
    lines += [f"  {api} x{n}" for api, n in sorted(unc.items())] or ["  (none)"]
    return "\n".join(lines)
