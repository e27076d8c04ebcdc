"""From what a rule saw to its verdict (DESIGN §4.5 "never a wrong pass"): a rule that saw
violations fails; one that saw none passes only if it could see — every hook it relies on
installed in time, every phase it looks at reached, the recording complete."""

from __future__ import annotations

from collections.abc import Callable

from harness.model.enums import Category, Phase, Verdict
from harness.model.verdict import ArticleVerdict, Evidence, RuleResult
from harness.scoring.attribution import observed_hooks
from harness.scoring.rules import Context, Rule
from harness.scoring.timeline import Timeline


class Hits:
    """What one rule selected: counts and the first evidence items."""

    __slots__ = ("count", "evidence", "sdks", "categories", "limit")

    def __init__(self, limit: int) -> None:
        self.count = 0
        self.evidence: list[Evidence] = []
        self.sdks: dict[str, int] = {}
        self.categories: dict[Category, int] = {}
        self.limit = limit

    def add(self, evidence: Callable[[], Evidence], sdk: str, category: Category) -> None:
        self.count += 1
        self.sdks[sdk] = self.sdks.get(sdk, 0) + 1
        self.categories[category] = self.categories.get(category, 0) + 1
        if len(self.evidence) < self.limit:
            self.evidence.append(evidence())

    def category_summary(self) -> str:
        ranked = sorted(self.categories.items(), key=lambda kv: (-kv[1], kv[0].value))
        return ", ".join(f"{c.value} ×{n}" for c, n in ranked)


def conclude(
    rule: Rule,
    ctx: Context,
    early: tuple[Verdict, str] | None,
    sink: Hits | None,
    problems: list[str],
    needs: set[Phase],
) -> RuleResult:
    missing_step = False
    if early is not None:
        verdict, reason = early
        missing_step = verdict is Verdict.NOT_APPLICABLE and rule.na_means_missing_step
    elif sink is not None and sink.count:
        verdict, reason = Verdict.FAIL, rule.failed(ctx, sink)
    else:
        verdict, reason = _quiet(rule, ctx)
        missing_step = verdict is Verdict.NOT_APPLICABLE and rule.na_means_missing_step
        if verdict is Verdict.PASS:
            gap = _unreached(ctx.timeline, needs)
            if gap is not None:
                verdict, reason = Verdict.INCONCLUSIVE, f"{gap}; otherwise: {reason}"
    if problems and (verdict in (Verdict.PASS, Verdict.INCONCLUSIVE) or missing_step):
        reason = f"the recording is incomplete ({problems[0]}); otherwise: {reason}"
        verdict = Verdict.ERROR
    return RuleResult(
        rule=rule.id,
        article=rule.article,
        statement=rule.statement,
        verdict=verdict,
        reason=reason,
        evidence=sink.evidence if sink else [],
        evidence_count=sink.count if sink else 0,
        sdks=dict(sorted(sink.sdks.items(), key=lambda kv: (-kv[1], kv[0]))) if sink else {},
    )


def _unreached(timeline: Timeline, needs: set[Phase]) -> str | None:
    """Why a rule looking at ``needs`` did not see all it needed, or None.

    * An app death the scenario did not ask for hides everything after it: every phase
      the app could still have been in (pre-consent only if no decision came before).
    * A rule that looks only at what follows a decision (it selects no pre-consent call)
      needs that decision: an ``agree``/``refuse``/``withdraw`` that did not happen leaves
      its phase unseen. Rules that also judge pre-consent calls keep the verdict of what
      was watched; the scenario's overall verdict still cannot be ``pass``.
    """
    if not needs:
        return None
    for death in timeline.deaths:
        open_phases = set(Phase)
        if timeline.times and timeline.times[0] < death.ts:
            open_phases.discard(Phase.PRE_CONSENT)
        if needs & open_phases:
            return death.describe()
    if Phase.PRE_CONSENT in needs:
        return None
    unreached = timeline.unreached_phases
    for phase in Phase:
        if phase in needs and phase in unreached:
            return unreached[phase].describe()
    return None


def _quiet(rule: Rule, ctx: Context) -> tuple[Verdict, str]:
    blind = _blind_hooks(rule, ctx.timeline, ctx)
    if blind:
        return Verdict.INCONCLUSIVE, (
            f"hooks that this rule relies on failed to install: {', '.join(blind[:5])}"
            + (f" and {len(blind) - 5} more" if len(blind) > 5 else "")
        )
    return rule.quiet(ctx)


def _blind_hooks(rule: Rule, timeline: Timeline, ctx: Context) -> list[str]:
    """Failed hooks that could have hidden a violation of ``rule``.

    A hook whose category the catalog does not know counts against every rule: we cannot
    tell what it would have seen, and a verdict is never better than its eyes.
    """
    watched = rule.watched(ctx)
    observed = observed_hooks()
    return [
        hook.id
        for hook in timeline.failed_hooks
        if hook.id not in observed and (hook.category is None or hook.category in watched)
    ]


def articles_of(results: list[RuleResult]) -> list[ArticleVerdict]:
    by_article: dict[str, list[RuleResult]] = {}
    for result in results:
        by_article.setdefault(result.article, []).append(result)
    return [
        ArticleVerdict(
            article=article,
            verdict=Verdict.worst([r.verdict for r in members]),
            rules=[r.rule for r in members],
        )
        for article, members in sorted(by_article.items())
    ]


__all__ = ["Hits", "articles_of", "conclude"]
