"""Parts of report.html about what the harness saw: hook coverage per scenario (and the
rules its blind spots weakened), and the run-level SDK × phase matrix.

Every value that came from the app, the device or a trace goes through :func:`esc`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from harness.model import Category, Phase
from harness.reports._text import esc
from harness.reports.coverage import KINDS, weakened_rules
from harness.reports.digest import TraceDigest
from harness.reports.html_parts import count_cell
from harness.reports.i18n import Translator

#: SDK rows of the run-level matrix, at most.
MAX_MATRIX_ROWS = 60
#: Hook ids listed per coverage kind, at most (the counts are always complete).
MAX_LISTED_HOOKS = 60


def run_matrix(tr: Translator, digests: list[TraceDigest | None]) -> list[str]:
    """SDK × phase over the whole run: calls per phase and the scenarios involved."""
    calls: dict[str, Counter[str]] = {}
    kinds: dict[str, str | None] = {}
    scenarios: dict[str, Counter[str]] = {}
    for d in digests:
        if d is None or d.error:
            continue
        for row in d.sdks:
            calls.setdefault(row.sdk, Counter()).update(row.by_phase)
            kinds.setdefault(row.sdk, row.kind)
            scen = scenarios.setdefault(row.sdk, Counter())
            for phase, n in row.by_phase.items():
                if n:
                    scen[phase] += 1
    out = [f'<section id="matrix"><h2>{esc(tr.t("SDKs × phase, whole run"))}</h2>']
    if not calls:
        out.append(f'<p class="note">{esc(tr.t("no sensitive calls in this run"))}</p></section>')
        return out
    # Worst first: the most pre-consent calls, then post-refusal, then the rest.
    order = sorted(
        calls,
        key=lambda s: (
            -calls[s][Phase.PRE_CONSENT.value],
            -calls[s][Phase.POST_REFUSAL.value],
            -sum(calls[s].values()),
            s,
        ),
    )
    shown, folded = order[:MAX_MATRIX_ROWS], order[MAX_MATRIX_ROWS:]
    head = "".join(f"<th>{esc(tr.term('phase', p))}</th>" for p in Phase)
    out.append(
        f'<p class="note">{esc(tr.t("calls (scenarios) per SDK and phase, over every scenario"))}'
        "</p>"
        f"<table><thead><tr><th>{esc(tr.t('SDK'))}</th><th>{esc(tr.t('kind'))}</th>{head}"
        f"<th>{esc(tr.t('calls'))}</th></tr></thead><tbody>"
    )
    for sdk in shown:
        name = tr.t("(other SDKs)") if sdk == "(other SDKs)" else sdk
        cells = [
            f'<tr><td class="mono">{esc(name, limit=500)}</td>'
            f'<td>{esc(tr.term("sdk_kind", kinds[sdk]) if kinds[sdk] else "")}</td>'
        ]
        for p in Phase:
            n = calls[sdk][p.value]
            cls = ' class="n flag"' if n and p is not Phase.POST_CONSENT else ' class="n"'
            cells.append(
                f"<td{cls}>{n} ({scenarios[sdk][p.value]})</td>" if n else count_cell(0)
            )
        cells.append(f'<td class="n">{sum(calls[sdk].values())}</td></tr>')
        out.append("".join(cells))
    out.append("</tbody></table>")
    if folded:
        text = tr.n("{n} more SDK not shown.", "{n} more SDKs not shown.", len(folded))
        out.append(f'<p class="note">{esc(text)}</p>')
    out.append("</section>")
    return out


# ------------------------------------------------------------------ hook coverage


def coverage(tr: Translator, d: TraceDigest | None, rule_ids: list[str]) -> list[str]:
    """Hooks installed / failed / late / absent / skipped, by category, and what they weakened."""
    out = [f"<h3>{esc(tr.t('Hook coverage'))}</h3>"]
    if d is None or d.error:
        return out + [f'<p class="note">{esc(tr.t("no readable trace: coverage unknown"))}</p>']
    cov = d.coverage
    if not cov.seen:
        text = tr.t(
            "no hooks_ready marker in the trace: which hooks were in is unknown, and so is "
            "what the verdicts could see"
        )
        return out + [f'<p class="warn">{esc(text)}</p>']
    labels = {
        "installed": tr.t("installed"),
        "failed": tr.t("failed"),
        "late": tr.t("late"),
        "absent": tr.t("absent"),
        "skipped": tr.t("skipped"),
    }
    counts = " · ".join(f"{esc(labels[k])}: {cov.count(k)}" for k in KINDS)
    out.append(f"<p>{counts}</p>")
    note = tr.t(
        "failed and late hooks are blind spots; absent (class not in the app) and skipped "
        "(not on this Android version) hooks could not have been called"
    )
    out.append(f'<p class="note">{esc(note)}</p>')
    table = cov.by_category()
    if table:
        kinds = ("failed", "late", "absent", "skipped")
        out.append(
            f"<table><thead><tr><th>{esc(tr.t('category'))}</th>"
            + "".join(f"<th>{esc(labels[k])}</th>" for k in kinds)
            + "</tr></thead><tbody>"
        )
        order: Callable[[Category | None], tuple[int, str]] = lambda c: (  # noqa: E731
            0 if c is None else 1,
            "" if c is None else c.value,
        )
        for cat in sorted(table, key=order):
            name = tr.t("(unknown to this catalog)") if cat is None else tr.term("category", cat)
            row = table[cat]
            flag = ' class="warn"' if row["failed"] or row["late"] else ""
            out.append(
                f"<tr{flag}><td>{esc(name)}</td>"
                + "".join(count_cell(row[k]) for k in kinds)
                + "</tr>"
            )
        out.append("</tbody></table>")
    lists = []
    for kind in ("failed", "late", "absent", "skipped"):
        ids = cov.ids(kind)
        if not ids:
            continue
        reasons = cov.failed if kind == "failed" else cov.late if kind == "late" else {}
        items = [
            esc(i, limit=200) + (f" — {esc(reasons[i], limit=300)}" if reasons.get(i) else "")
            for i in ids[:MAX_LISTED_HOOKS]
        ]
        more = len(ids) - MAX_LISTED_HOOKS
        if more > 0:
            items.append(esc(tr.n("… and {n} more", "… and {n} more", more)))
        lists.append(
            f'<details><summary>{esc(labels[kind])} ({len(ids)})</summary>'
            f'<pre>{chr(10).join(items)}</pre></details>'
        )
    out += lists
    weak = weakened_rules(cov, rule_ids, d.header)
    if weak:
        out.append(f"<p><b>{esc(tr.t('Rules these blind spots weakened'))}</b></p><ul>")
        for w in weak:
            text = (
                tr.t(
                    "{rule}: hooks failed to install ({hooks}); it cannot pass, at best it "
                    "is inconclusive unless a violation was seen",
                    rule=w.rule,
                    hooks=", ".join(w.hooks[:8]) + (" …" if len(w.hooks) > 8 else ""),
                )
                if w.kind == "failed"
                else tr.t(
                    "{rule}: hooks went in late ({hooks}); calls before that were not seen",
                    rule=w.rule,
                    hooks=", ".join(w.hooks[:8]) + (" …" if len(w.hooks) > 8 else ""),
                )
            )
            out.append(f'<li class="warn">{esc(text, limit=1000)}</li>')
        out.append("</ul>")
    elif cov.failed or cov.late:
        out.append(f'<p class="note">{esc(tr.t("no scored rule watches these categories"))}</p>')
    else:
        out.append(f'<p class="note">{esc(tr.t("no blind spot: every callable hook was in"))}</p>')
    return out
