"""Hook coverage of one trace, from its ``hooks_ready`` markers, and what it weakened.

The agent sends one ``hooks_ready`` marker per instrumented process (``harness/hooks/
agent.js``, ``init``) with ``detail``:

* ``installed`` — how many catalog hooks went in (a count; a list of ids is accepted too);
* ``failed`` — hooks that could not be installed: ``[{"id", "error"}]`` (ids accepted);
* ``absent`` — the class is not in this process (an SDK the app does not bundle, an API the
  VM lacks): nothing can call it, so it is no blind spot;
* ``skipped`` — outside the entry's ``min_sdk``/``max_sdk`` for this device: not callable
  here either;
* ``pid`` and ``process`` (when the host sends them) — which process the marker is about;
  report.xlsx names each call's process with them;
* ``late`` (when the host sends it) — hooks installed only after the app had started
  running (app-loader classes): calls before that moment were not seen.

``failed`` and ``late`` hooks are blind spots: a rule that watches their category
(:meth:`harness.scoring.Rule.watched`) cannot have seen everything, which is why the
scorer makes it ``inconclusive`` rather than ``pass`` (failed hooks; DESIGN §4.5).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harness.errors import HarnessError
from harness.model import Category, TraceHeader

#: How many hook ids each list keeps (a hostile agent cannot grow the page).
MAX_IDS = 500
KINDS = ("installed", "failed", "late", "absent", "skipped")


@dataclass
class HookCoverage:
    """Merged over every ``hooks_ready`` marker of a trace."""

    markers: int = 0
    installed: int = 0
    installed_ids: set[str] = field(default_factory=set)
    failed: dict[str, str | None] = field(default_factory=dict)
    late: dict[str, str | None] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)
    #: id → category given by the agent (else looked up in the catalog)
    given_category: dict[str, Category] = field(default_factory=dict)
    #: pid → process name (``<pkg>:push``…), when the marker names them
    processes: dict[int, str] = field(default_factory=dict)

    def add(self, detail: dict[str, Any]) -> None:
        self.markers += 1
        pid, process = detail.get("pid"), detail.get("process")
        if isinstance(pid, int) and isinstance(process, str) and len(self.processes) < MAX_IDS:
            self.processes[pid] = process[:200]
        installed = detail.get("installed")
        if isinstance(installed, bool):
            pass
        elif isinstance(installed, int):
            self.installed = max(self.installed, installed)
        elif isinstance(installed, list):
            ids = {str(i) for i in installed[:MAX_IDS]}
            self.installed_ids |= ids
            self.installed = max(self.installed, len(installed), len(self.installed_ids))
        self._items(detail.get("failed"), self.failed)
        self._items(detail.get("late"), self.late)
        for key, target in (("absent", self.absent), ("skipped", self.skipped)):
            value = detail.get(key)
            for item in value[:MAX_IDS] if isinstance(value, list) else []:
                if len(target) < MAX_IDS:
                    target.add(str(item.get("id", "?")) if isinstance(item, dict) else str(item))

    def _items(self, value: Any, target: dict[str, str | None]) -> None:
        items = value if isinstance(value, list) else ([value] if value else [])
        for item in items[:MAX_IDS]:
            if len(target) >= MAX_IDS:
                return
            if isinstance(item, dict):
                hook_id = str(item.get("id", "?"))
                why = item.get("error", item.get("reason"))
                target[hook_id] = None if why is None else str(why)[:500]
                try:
                    if item.get("category") is not None:
                        self.given_category[hook_id] = Category(item["category"])
                except ValueError:
                    pass
            else:
                target.setdefault(str(item), None)

    @property
    def seen(self) -> bool:
        return self.markers > 0

    def ids(self, kind: str) -> list[str]:
        if kind == "installed":
            return sorted(self.installed_ids)
        value = getattr(self, kind)
        return sorted(value)

    def count(self, kind: str) -> int:
        return self.installed if kind == "installed" else len(getattr(self, kind))

    def category_of(self, hook_id: str) -> Category | None:
        given = self.given_category.get(hook_id)
        return given if given is not None else catalog_category(hook_id)

    def by_category(self) -> dict[Category | None, Counter[str]]:
        """category (None = unknown to this catalog) → counts of failed/late/absent/skipped."""
        table: dict[Category | None, Counter[str]] = {}
        for kind in ("failed", "late", "absent", "skipped"):
            for hook_id in self.ids(kind):
                table.setdefault(self.category_of(hook_id), Counter())[kind] += 1
        return table

    def blind(self) -> dict[str, list[str]]:
        """``{"failed": [...], "late": [...]}`` ids that weaken rules."""
        return {"failed": self.ids("failed"), "late": self.ids("late")}


def catalog_category(hook_id: str) -> Category | None:
    try:
        from harness.catalog import load_catalog

        entry = load_catalog().get(hook_id)
    except HarnessError:
        return None
    return None if entry is None else entry.category


@dataclass(frozen=True)
class Weakened:
    rule: str
    #: "failed" or "late"
    kind: str
    hooks: tuple[str, ...]


def weakened_rules(
    coverage: HookCoverage, rule_ids: list[str], header: TraceHeader | None
) -> list[Weakened]:
    """Rules (of ``rule_ids`` that scoring knows) whose watched categories had blind hooks.

    A hook whose category the catalog does not know weakens every rule, as in scoring.
    """
    if header is None:
        return []
    from harness.scoring import RULES_BY_ID, Context, Timeline

    ctx = Context(header=header, timeline=Timeline())
    out: list[Weakened] = []
    for rule_id in rule_ids:
        rule = RULES_BY_ID.get(rule_id)
        if rule is None:
            continue
        try:
            watched = rule.watched(ctx)
        except Exception:  # noqa: BLE001 - a rule added elsewhere may need more context
            continue
        for kind, ids in coverage.blind().items():
            hit = tuple(
                i for i in ids if (c := coverage.category_of(i)) is None or c in watched
            )
            if hit:
                out.append(Weakened(rule_id, kind, hit))
    return out
