"""``7.2/excessive-frequency``: no API, nor category, is called more often than needed.

A call **offends** when, counting it, more calls of its API (or of its category) than
the limit fall within one window ending at it (1 s and 60 s) — or, for a call the
trace delivers late, within the window starting at it. Every count is of calls that
really happened within one window, so a fail is never an artefact of the counting;
removing calls or raising a limit can only lower the counts.

Defaults (:data:`DEFAULT_LIMITS`) are this harness's choice, not the regulator's (the
checklist names no number): they leave a busy but plausible app alone — a location
listener at 1 Hz, an SDK reading the device id a few times at start — and catch the
polling loops reviewers report. A scenario overrides them (``header.scenario.options``,
docs/scoring.md "Rule options"), and so does a caller: ``ExcessiveFrequency(api_per_second=50)``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from harness.model.enums import PERSONAL_INFORMATION, Category, Phase, Verdict
from harness.scoring.checklist._common import number, rule_options
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, CallLike, Context, Rule, Selection

if TYPE_CHECKING:
    from harness.scoring.engine import Hits

SECOND_MS = 1000.0
MINUTE_MS = 60_000.0
#: Timestamps kept per API / category before the oldest (beyond a minute and a margin
#: for late deliveries) are dropped: memory stays flat on long traces.
_KEEP = 4096
_MARGIN_MS = 2 * MINUTE_MS


@dataclass(frozen=True)
class Limits:
    """Most calls allowed in any 1 s / 60 s window, per API and per category."""

    api_per_second: float = 10
    api_per_minute: float = 100
    category_per_second: float = 20
    category_per_minute: float = 200


DEFAULT_LIMITS = Limits()
_OPTION_NAMES = ("api_per_second", "api_per_minute", "category_per_second", "category_per_minute")


class _Series:
    """The call times of one API or category, and the two sliding windows over them.

    Calls come nearly in time order (the agent's sequence): a call at or after the
    latest moves the windows' start pointers forward (amortised O(1)); a call delivered
    late is inserted in place and counted by bisection.
    """

    __slots__ = ("times", "lo_s", "lo_m", "worst_s", "worst_m", "limit_s", "limit_m")

    def __init__(self, limit_s: float, limit_m: float) -> None:
        self.times: list[float] = []
        self.lo_s = self.lo_m = 0
        self.worst_s = self.worst_m = 0
        self.limit_s, self.limit_m = limit_s, limit_m

    def add(self, ts: float) -> bool:
        """Count a call at ``ts``; whether a window holding it is over its limit."""
        times = self.times
        if times and ts < times[-1]:
            return self._late(ts)
        times.append(ts)
        n = len(times)
        lo = self.lo_s
        edge = ts - SECOND_MS
        while times[lo] <= edge:
            lo += 1
        self.lo_s = lo
        per_s = n - lo
        lo = self.lo_m
        edge = ts - MINUTE_MS
        while times[lo] <= edge:
            lo += 1
        self.lo_m = lo
        per_m = n - lo
        if n > _KEEP and not n & 1023:
            self._prune(ts)
        if per_s > self.worst_s:
            self.worst_s = per_s
        if per_m > self.worst_m:
            self.worst_m = per_m
        return per_s > self.limit_s or per_m > self.limit_m

    def _late(self, ts: float) -> bool:
        times = self.times
        j = bisect_right(times, ts)
        times.insert(j, ts)
        # The pointers mark the first time inside the windows ending at the latest call:
        # a late call before a window lands before its pointer.
        latest = times[-1]
        self.lo_s += ts <= latest - SECOND_MS
        self.lo_m += ts <= latest - MINUTE_MS

        def count(width: float) -> int:
            before = j + 1 - bisect_right(times, ts - width)
            after = bisect_left(times, ts + width) - bisect_left(times, ts)
            return max(before, after)

        return self._seen(count(SECOND_MS), count(MINUTE_MS))

    def _seen(self, per_s: int, per_m: int) -> bool:
        if per_s > self.worst_s:
            self.worst_s = per_s
        if per_m > self.worst_m:
            self.worst_m = per_m
        return per_s > self.limit_s or per_m > self.limit_m

    def _prune(self, ts: float) -> None:
        cut = min(self.lo_s, self.lo_m, bisect_left(self.times, ts - MINUTE_MS - _MARGIN_MS))
        if cut:
            del self.times[:cut]
            self.lo_s -= cut
            self.lo_m -= cut


@dataclass
class _Counter:
    limits: Limits
    series: dict[str, _Series] = field(default_factory=dict)
    calls: int = 0

    def offends(self, call: CallLike) -> bool:
        self.calls += 1
        series = self.series
        ts = call.ts
        api = series.get(call.api)
        if api is None:
            limits = self.limits
            api = series[call.api] = _Series(limits.api_per_second, limits.api_per_minute)
        key = "category " + call.category.value
        cat = series.get(key)
        if cat is None:
            limits = self.limits
            cat = series[key] = _Series(limits.category_per_second, limits.category_per_minute)
        # Both are counted, whichever is over: ``|`` does not short-circuit.
        return api.add(ts) | cat.add(ts)

    def _rates(self) -> list[tuple[float, str]]:
        found = []
        for key, one in self.series.items():
            for count, limit, unit in (
                (one.worst_s, one.limit_s, "s"),
                (one.worst_m, one.limit_m, "min"),
            ):
                text = f"{key}: {count} calls within 1 {unit} (limit {limit:g}/{unit})"
                found.append((count / limit, text))
        return sorted(found, key=lambda f: -f[0])

    def over(self) -> list[str]:
        return [text for ratio, text in self._rates() if ratio > 1]

    def busiest(self) -> str:
        rates = self._rates()
        return rates[0][1] if rates else "no call"


class ExcessiveFrequency(Rule):
    id = "7.2/excessive-frequency"
    article = "7.2"
    statement = (
        "No personal-information API, nor category, is called more often than the "
        "limits per second and per minute."
    )
    source = f"{CHECKLIST_2019} 四.4; {MIIT_164} (一)1 (超频次)"
    #: What a scenario's ``rule_options`` may set for this rule.
    option_names: frozenset[str] = frozenset(_OPTION_NAMES)

    def __init__(self, **limits: float) -> None:
        unknown = set(limits) - set(_OPTION_NAMES)
        if unknown:
            raise TypeError(f"unknown limit(s): {', '.join(sorted(unknown))}")
        self.limits = replace(DEFAULT_LIMITS, **limits)

    def _counter(self, ctx: Context) -> _Counter:
        def make() -> _Counter:
            options = rule_options(ctx.header, self.id)
            values = {
                name: number(options, name, getattr(self.limits, name), self.id)
                for name in _OPTION_NAMES
            }
            return _Counter(Limits(**values))

        return ctx.state(self.id, make)

    def selects(self, ctx: Context, category: Category, phase: Phase) -> Selection:
        if category not in PERSONAL_INFORMATION:
            return False
        offends: Callable[[CallLike], bool] = self._counter(ctx).offends
        return offends

    def failed(self, ctx: Context, hits: Hits) -> str:
        over = self._counter(ctx).over()
        ranked = sorted(hits.sdks.items(), key=lambda kv: (-kv[1], kv[0]))
        sdks = ", ".join(f"{name} {n}" for name, n in ranked[:3])
        return (
            f"{hits.count} call(s) beyond a frequency limit; "
            + "; ".join(over[:3])
            + (f" and {len(over) - 3} more" if len(over) > 3 else "")
            + (f" (by {sdks})" if sdks else "")
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        counter = self._counter(ctx)
        if not counter.calls:
            return Verdict.NOT_APPLICABLE, "no personal-information call to count"
        return Verdict.PASS, f"every rate within its limit; busiest {counter.busiest()}"
