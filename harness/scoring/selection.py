"""Choosing rules by id, glob, article or pack: ``--rules``, ``score(trace, rules=…)``.

A selector is a rule id (``7.4/bundled-install``), a glob over ids (``7.4/*``,
``*/re-ask-*``), an article (``7.4``: its rules), or a pack: ``default`` (the rules
scored when nothing is chosen), ``checklist`` (the rules of the enforcement
checklist) or ``all``. Several selectors — repeated, or comma-separated in one string
— add up, each rule once, in the order first chosen. A selector that chooses nothing is
an error (a typo must not silently score fewer rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

from harness.errors import InputError
from harness.scoring.checklist import CHECKLIST_RULES
from harness.scoring.rules import RULES, Rule

#: Every rule the harness knows, in report order.
ALL_RULES: tuple[Rule, ...] = RULES + CHECKLIST_RULES
ALL_RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
#: Rules scored when none are chosen.
DEFAULT_RULE_IDS: frozenset[str] = frozenset(rule.id for rule in RULES)
PACKS: dict[str, tuple[Rule, ...]] = {
    "default": RULES,
    "checklist": CHECKLIST_RULES,
    "all": ALL_RULES,
}


def matching(selector: str) -> tuple[Rule, ...]:
    """The rules one selector chooses (module doc), possibly none."""
    selector = selector.strip()
    if selector in PACKS:
        return PACKS[selector]
    if "/" not in selector and not any(c in selector for c in "*?["):
        return tuple(rule for rule in ALL_RULES if rule.article == selector)
    return tuple(rule for rule in ALL_RULES if fnmatchcase(rule.id, selector))

#: What chooses rules: an id, glob, article, pack or rule object, several, or None.
RuleSpec = str | Rule | Iterable[str | Rule] | None


def select_rules(selectors: RuleSpec, *, field: str = "rules") -> tuple[Rule, ...]:
    """The rules ``selectors`` choose; None → the default rules. Rule objects pass
    through as they are (e.g. ``ExcessiveFrequency(api_per_second=50)``)."""
    if selectors is None:
        return RULES
    items: Sequence[str | Rule] = (
        [selectors] if isinstance(selectors, str | Rule) else list(selectors)
    )
    chosen: dict[str, Rule] = {}
    for item in items:
        if isinstance(item, Rule):
            chosen.setdefault(item.id, item)
            continue
        if not isinstance(item, str):
            raise InputError(f"a rule selector must be a string, not {item!r}", field=field)
        for part in (p for p in item.split(",") if p.strip()):
            found = matching(part)
            if not found:
                raise InputError(
                    f"{part.strip()!r} selects no rule; known: {', '.join(ALL_RULES_BY_ID)} "
                    f"(or a glob, an article, or a pack: {', '.join(PACKS)})",
                    field=field,
                )
            for rule in found:
                chosen.setdefault(rule.id, rule)
    if not chosen:
        raise InputError("no rule selected", field=field)
    return tuple(chosen.values())


__all__ = ["ALL_RULES", "ALL_RULES_BY_ID", "DEFAULT_RULE_IDS", "PACKS", "RuleSpec", "matching",
           "select_rules"]
