"""``report.html``: one self-contained page (inline CSS, a few lines of inline JS, no
external assets), in English or Chinese (:mod:`harness.reports.i18n`).

Safety: every value that came from the app, the device, a scenario file or a trace goes
through :func:`harness.reports._text.esc` (cleaned, ``html.escape(quote=True)``) — and so
does every translated label, since a translation is formatted with those values; no data
is handed to JavaScript at all (the script only toggles classes and opens ``<details>``
for printing), and a Content-Security-Policy allows no script but that one (by hash), so
even a missed escape could not run code. Screenshots are linked relatively
(``scenarios/<slug>/dialog.png``): the page stays small and the PNGs stay covered by the
manifest as separate files.

Size: the timeline and the SDK tables come from a :class:`TraceDigest` (counts per time
bucket and per SDK), so a 100k-call trace renders as a page of bounded size.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from harness.model import AppInfo, Evidence, RunSummary, ScenarioResult, Verdict
from harness.reports import html_coverage as cover
from harness.reports import html_parts as parts
from harness.reports._text import esc
from harness.reports.appinfo import identity_rows
from harness.reports.articles import ARTICLES, SOURCE_EN, SOURCE_ZH
from harness.reports.digest import TraceDigest
from harness.reports.html_style import CSS, CSS_PRINT_DETAILS, SCRIPT
from harness.reports.i18n import Translator, get_translator
from harness.reports.junit import expectation_mismatches
from harness.reports.reasons import N_

DEFAULT_ARTICLES = ("7.2", "7.4")
MAX_EVIDENCE_ROWS = 20
MAX_DEVICE_PROPS = 20
_LIMIT = 500


@dataclass
class ScenarioView:
    """One scenario as the page shows it."""

    result: ScenarioResult
    anchor: str
    rel_dir: str | None = None
    digest: TraceDigest | None = None
    #: (caption, path relative to the run folder); captions are English msgids
    screenshots: list[tuple[str, str]] = field(default_factory=list)
    #: (label, path relative to the run folder)
    files: list[tuple[str, str]] = field(default_factory=list)


def _href(rel: str) -> str:
    return esc(quote(rel, safe="/"))


def _badge(tr: Translator, verdict: Verdict | None) -> str:
    if verdict is None:
        return '<span class="v v-not_applicable">—</span>'
    return f'<span class="v v-{verdict.value}">{esc(tr.term("verdict", verdict))}</span>'


def _is_problem(result: ScenarioResult) -> bool:
    if result.error or result.verdict == Verdict.ERROR:
        return True
    if result.expect:
        return bool(expectation_mismatches(result))
    return any(a.verdict in (Verdict.FAIL, Verdict.ERROR) for a in result.articles)


def _articles(summary: RunSummary) -> list[str]:
    seen = set(DEFAULT_ARTICLES)
    for s in summary.scenarios:
        seen.update(a.article for a in s.articles)
    return sorted(seen)


def _article_label(tr: Translator, article: str) -> str:
    known = ARTICLES.get(article)
    if known is not None:
        return known.label_zh if tr.lang == "zh" else known.label_en
    return tr.t("Art. {article}", article=article)


def render_html(
    summary: RunSummary,
    views: list[ScenarioView],
    tr: Translator | None = None,
    *,
    print_mode: bool = False,
) -> str:
    """The page. ``print_mode``: every ``<details>`` open (the PDF's source). The
    identity of the binaries tested (``summary.apps``, from ``check``) is shown under
    the header."""
    tr = tr or get_translator("en")
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: file:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    title = tr.t("consent-harness report — {time}", time=summary.started_at)
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{tr.html_lang}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}{CSS_PRINT_DETAILS}</style></head><body>",
    ]
    out += _header(tr, summary, views)
    out += _apps(tr, summary.apps, views)
    out += _article_texts(tr, summary)
    out += _verdict_table(tr, summary, views)
    out += cover.run_matrix(tr, [v.digest for v in views])
    for view in views:
        out += _scenario(tr, view)
    out.append(f"<script>{SCRIPT}</script>")
    out.append("</body></html>")
    page = "\n".join(out) + "\n"
    if print_mode:
        # Safe: app data is escaped, so every literal "<details>" is one of ours.
        page = page.replace("<details>", "<details open>")
    return page


# ------------------------------------------------------------------------- header


def _header(tr: Translator, summary: RunSummary, views: list[ScenarioView]) -> list[str]:
    devices: list[str] = []
    for v in views:
        props = v.digest.header.device if (v.digest and v.digest.header) else {}
        name = v.result.device or props.get("serial") or ""
        if props.get("model"):
            name = f"{props['model']} ({name})" if name else props["model"]
        if name and name not in devices:
            devices.append(name)
    by_verdict: dict[str, int] = {}
    for s in summary.scenarios:
        by_verdict[s.verdict.value] = by_verdict.get(s.verdict.value, 0) + 1
    mismatched = sum(1 for s in summary.scenarios if s.expect and expectation_mismatches(s))
    counts = ", ".join(f"{_badge(tr, Verdict(k))} {n}" for k, n in sorted(by_verdict.items()))
    scen = esc(str(len(summary.scenarios))) + ": " + (counts or esc(tr.t("none")))
    if mismatched:
        flag = tr.n(
            "{n} expectation mismatch", "{n} expectation mismatches", mismatched
        )
        scen += f' — <span class="flag">{esc(flag)}</span>'
    out = [
        f"<header><h1>{esc(tr.t('consent-harness report'))}</h1>",
        '<dl class="meta">',
        f"<dt>{esc(tr.t('Run'))}</dt><dd>{esc(summary.started_at)} → "
        f"{esc(summary.finished_at)}</dd>",
        f"<dt>{esc(tr.t('Harness version'))}</dt><dd>{esc(summary.harness_version)}</dd>",
        f"<dt>{esc(tr.t('Device(s)'))}</dt><dd>{esc(', '.join(devices) or tr.t('unknown'))}"
        "</dd>",
        f"<dt>{esc(tr.t('Scenarios'))}</dt><dd>{scen}</dd>",
    ]
    if summary.interrupted:
        text = tr.t("the run was interrupted: only the scenarios that ran are reported")
        out.append(f'<dt>{esc(tr.t("Interrupted"))}</dt><dd class="flag">{esc(text)}</dd>')
    if summary.counts:
        extra = ", ".join(f"{esc(k)}: {esc(v)}" for k, v in sorted(summary.counts.items()))
        out.append(f"<dt>{esc(tr.t('Counts'))}</dt><dd>{extra}</dd>")
    out.append("</dl></header>")
    return out


def _apps(tr: Translator, apps: Sequence[AppInfo], views: list[ScenarioView]) -> list[str]:
    """The app under test: what identifies the binary, and the SDKs its code names
    beside the SDKs seen calling at run time."""
    seen = sorted({row.sdk for v in views if v.digest for row in v.digest.sdks})
    out: list[str] = []
    for app in apps:
        rows = identity_rows(tr, app, seen)
        out.append(f'<section id="app"><h2>{esc(tr.t("App under test"))}</h2><dl class="meta">')
        out += [f'<dt>{esc(k)}</dt><dd class="mono">{esc(v, limit=4000)}</dd>' for k, v in rows]
        out.append("</dl></section>")
    return out


def _article_texts(tr: Translator, summary: RunSummary) -> list[str]:
    """The articles judged, quoted in Chinese (authoritative) and English."""
    out = [f'<section id="articles"><h2>{esc(tr.t("The articles checked"))}</h2>']
    out.append(f'<p class="note">{esc(SOURCE_ZH)} · {esc(SOURCE_EN)}</p>')
    for article in _articles(summary):
        known = ARTICLES.get(article)
        if known is None:
            continue
        out.append(
            f"<h3>{esc(known.label_zh)} · {esc(known.label_en)}</h3>"
            f'<blockquote><p lang="zh-CN">{esc(known.text_zh)}</p>'
            f'<p lang="en">{esc(known.text_en)}</p></blockquote>'
        )
    note = tr.t(
        "The Chinese text is authoritative; the English is a translation. Each rule below "
        "checks one observable part of an article."
    )
    out.append(f'<p class="note">{esc(note)}</p></section>')
    return out


def _verdict_table(tr: Translator, summary: RunSummary, views: list[ScenarioView]) -> list[str]:
    articles = _articles(summary)
    out = [
        f'<section id="verdicts"><h2>{esc(tr.t("Verdicts"))}</h2>',
        f'<p id="filters"><label><input type="checkbox" id="only-problems"> '
        f"{esc(tr.t('show only failing, erroring or mismatched scenarios'))}</label></p>",
        f"<table><thead><tr><th>{esc(tr.t('Scenario'))}</th><th>{esc(tr.t('Package'))}</th>",
    ]
    out += [f"<th>{esc(_article_label(tr, a))}</th>" for a in articles]
    out.append(
        f"<th>{esc(tr.t('Overall'))}</th><th>{esc(tr.t('Expectation'))}</th></tr></thead><tbody>"
    )
    for v in views:
        r = v.result
        actual = {a.article: a.verdict for a in r.articles}
        cls = "problem" if _is_problem(r) else "ok"
        row = [
            f'<tr class="{cls}"><td><a href="#{v.anchor}">{esc(r.scenario, limit=_LIMIT)}</a>'
            f'</td><td class="mono">{esc(r.package, limit=_LIMIT)}</td>'
        ]
        for a in articles:
            got = actual.get(a)
            want = r.expect.get(a)
            if want is not None and want != (got or Verdict.NOT_APPLICABLE):
                expected = tr.t("expected {verdict}", verdict=tr.term("verdict", want))
                row.append(
                    f'<td class="mismatch">{_badge(tr, got)}<br>'
                    f'<span class="flag">{esc(expected)}</span></td>'
                )
            else:
                row.append(f"<td>{_badge(tr, got)}</td>")
        row.append(f"<td>{_badge(tr, r.verdict)}</td>")
        if not r.expect:
            row.append(f'<td class="note">{esc(tr.t("none"))}</td>')
        elif expectation_mismatches(r):
            row.append(f'<td class="flag">{esc(tr.t("mismatch"))}</td>')
        else:
            row.append(f"<td>{esc(tr.t('met'))}</td>")
        row.append("</tr>")
        out.append("".join(row))
    out.append("</tbody></table></section>")
    return out


# ----------------------------------------------------------------------- scenario


def _scenario(tr: Translator, view: ScenarioView) -> list[str]:
    r = view.result
    cls = "problem" if _is_problem(r) else "ok"
    out = [
        f'<section class="scenario {cls}" id="{view.anchor}">',
        f"<h2>{esc(r.scenario, limit=_LIMIT)} {_badge(tr, r.verdict)}</h2>",
        '<dl class="meta">',
        f'<dt>{esc(tr.t("Package"))}</dt><dd class="mono">{esc(r.package, limit=_LIMIT)}</dd>',
    ]
    if r.file:
        where = r.file + (f":{r.line}" if r.line is not None else "")
        out.append(
            f'<dt>{esc(tr.t("Scenario file"))}</dt><dd class="mono">{esc(where, limit=_LIMIT)}'
            "</dd>"
        )
    if r.device:
        out.append(f"<dt>{esc(tr.t('Device'))}</dt><dd>{esc(r.device, limit=_LIMIT)}</dd>")
    if r.duration_s is not None:
        out.append(f"<dt>{esc(tr.t('Duration'))}</dt><dd>{r.duration_s:.1f} s</dd>")
    if r.expect:
        exp = ", ".join(f"{a}: {tr.term('verdict', v)}" for a, v in sorted(r.expect.items()))
        out.append(f"<dt>{esc(tr.t('Expected'))}</dt><dd>{esc(exp)}</dd>")
        mism = expectation_mismatches(r)
        if mism:
            out.append(
                f'<dt>{esc(tr.t("Mismatch"))}</dt><dd class="flag">{esc("; ".join(mism))}</dd>'
            )
    if r.error:
        out.append(f'<dt>{esc(tr.t("Error"))}</dt><dd class="flag">{esc(r.error, limit=2000)}</dd>')
    unreached = r.unreached
    if unreached:
        items = "<br>".join(esc(tr.reason(u), limit=1000) for u in unreached[:20])
        out.append(f'<dt>{esc(tr.t("Did not happen"))}</dt><dd class="warn">{items}</dd>')
    if view.files:
        links = " · ".join(f'<a href="{_href(p)}">{esc(label)}</a>' for label, p in view.files)
        out.append(f"<dt>{esc(tr.t('Files'))}</dt><dd>{links}</dd>")
    if view.digest and view.digest.header:
        out += _trace_header(tr, view.digest)
    out.append("</dl>")
    if view.screenshots:
        out.append("<div>")
        for caption, rel in view.screenshots:
            text = esc(tr.t(caption))
            out.append(
                f'<figure><a href="{_href(rel)}"><img src="{_href(rel)}" alt="{text}" '
                f'loading="lazy"></a><figcaption>{text}</figcaption></figure>'
            )
        out.append("</div>")
    out += _rules(tr, view)
    if view.digest is not None and view.digest.dialog_texts:
        quoted = " · ".join(esc(t) for t in view.digest.dialog_texts)
        out.append(
            f'<p class="note">{esc(tr.t("consent dialog as shown:"))} <q>{quoted}</q></p>'
        )
    out += cover.coverage(tr, view.digest, [rule.rule for rule in r.rules])
    out += parts.timeline(tr, view.digest)
    out += parts.sdk_table(tr, view.digest)
    out += parts.issues(tr, view.digest)
    out.append("</section>")
    return out


def _trace_header(tr: Translator, d: TraceDigest) -> list[str]:
    assert d.header is not None
    h = d.header
    app = h.app.package + (f" {h.app.version_name}" if h.app.version_name else "")
    out = [f'<dt>{esc(tr.t("App (trace)"))}</dt><dd class="mono">{esc(app, limit=_LIMIT)}</dd>']
    if h.device:
        props = sorted(h.device.items())[:MAX_DEVICE_PROPS]
        text = ", ".join(f"{k}={v}" for k, v in props)
        out.append(
            f'<dt>{esc(tr.t("Device properties"))}</dt><dd class="mono">{esc(text, limit=2000)}'
            "</dd>"
        )
    if h.scope is None:
        scope = tr.t("not stated")
    else:
        scope = tr.categories(", ".join(c.value for c in h.scope)) or tr.t("none")
    out.append(f"<dt>{esc(tr.t('Scope'))}</dt><dd>{esc(scope)}</dd>")
    values = tr.t("values redacted") if h.redacted else tr.t("values revealed")
    out.append(
        f'<dt>{esc(tr.t("Catalog"))}</dt><dd class="mono">{esc(h.catalog_hash, limit=100)}'
        f" ({esc(values)})</dd>"
    )
    if d.end is not None:
        reason = tr.term("end", d.end.reason)
        end = reason if not d.end.message else f"{reason}: {d.end.message}"
        out.append(f"<dt>{esc(tr.t('Trace end'))}</dt><dd>{esc(end, limit=_LIMIT)}</dd>")
    else:
        out.append(
            f'<dt>{esc(tr.t("Trace end"))}</dt>'
            f'<dd class="flag">{esc(tr.t("no end record (cut short)"))}</dd>'
        )
    return out


def _rules(tr: Translator, view: ScenarioView) -> list[str]:
    r = view.result
    heading = f"<h3>{esc(tr.t('Rules'))}</h3>"
    if not r.rules:
        return [heading + f'<p class="note">{esc(tr.t("no rule results"))}</p>']
    cols = (N_("Rule"), N_("Statement"), N_("Art."), N_("Verdict"), N_("Reason"), N_("Calls"),
            N_("SDKs"))
    out = [
        heading
        + "<table><thead><tr>"
        + "".join(f"<th>{esc(tr.t(c))}</th>" for c in cols)
        + "</tr></thead><tbody>"
    ]
    for rule in r.rules:
        sdks = ", ".join(f"{k} ({n})" for k, n in sorted(rule.sdks.items(), key=lambda kv: -kv[1]))
        count = max(rule.evidence_count, len(rule.evidence))
        out.append(
            f'<tr><td class="mono">{esc(rule.rule)}</td>'
            f"<td>{esc(tr.statement(rule.rule, rule.statement), limit=1000)}</td>"
            f"<td>{esc(rule.article)}</td><td>{_badge(tr, rule.verdict)}</td>"
            f'<td>{esc(tr.reason(rule.reason), limit=2000)}</td><td class="n">{count}</td>'
            f"<td>{esc(sdks, limit=1000)}</td></tr>"
        )
        if rule.evidence:
            out.append(f'<tr><td colspan="{len(cols)}">')
            out += _evidence(tr, rule.evidence, count, view.digest)
            out.append("</td></tr>")
    out.append("</tbody></table>")
    return out


def _evidence(
    tr: Translator, evidence: list[Evidence], count: int, digest: TraceDigest | None
) -> list[str]:
    shown = evidence[:MAX_EVIDENCE_ROWS]
    cols = (N_("seq"), N_("phase"), N_("t vs consent"), N_("API"), N_("category"), N_("SDK"),
            N_("thread"), N_("frame / stack"), N_("args"))
    summary = tr.n(
        "evidence: {shown} of {n} call", "evidence: {shown} of {n} calls", count, shown=len(shown)
    )
    out = [
        f"<details><summary>{esc(summary)}</summary>",
        "<table><thead><tr>" + "".join(f"<th>{esc(tr.t(c))}</th>" for c in cols)
        + "</tr></thead><tbody>",
    ]
    for ev in shown:
        stack = digest.stacks.get(ev.seq) if (digest and ev.seq is not None) else None
        frame = esc(ev.frame or "", limit=_LIMIT)
        if stack:
            frames = "\n".join(esc(f, limit=_LIMIT) for f in stack)
            frame_cell = (
                f'<details><summary class="mono">{frame or esc(tr.t("stack"))}</summary>'
                f"<pre>{frames}</pre></details>"
            )
        else:
            frame_cell = f'<span class="mono">{frame}</span>'
        sdk = ev.sdk + (f" ({tr.term('sdk_kind', ev.sdk_kind)})" if ev.sdk_kind else "")
        threw = f" ⚠ {ev.threw}" if ev.threw else ""
        out.append(
            f'<tr><td class="n">{esc("" if ev.seq is None else ev.seq)}</td>'
            f"<td>{esc(tr.term('phase', ev.phase))}</td>"
            f'<td class="n">{esc(parts.fmt_ms(tr, ev.t_rel_ms))}</td>'
            f'<td class="mono">{esc(ev.api + threw, limit=_LIMIT)}</td>'
            f"<td>{esc(tr.term('category', ev.category))}</td>"
            f"<td>{esc(sdk, limit=_LIMIT)}</td>{parts.thread_cell(ev.thread, digest, ev.seq)}"
            f'<td>{frame_cell}</td><td class="mono">{esc(", ".join(ev.args), limit=_LIMIT)}</td>'
            "</tr>"
        )
    out.append("</tbody></table></details>")
    return out


def scenario_anchor(index: int) -> str:
    return f"s{index + 1}"


def evidence_seqs(result: ScenarioResult) -> Iterable[int]:
    for rule in result.rules:
        for ev in rule.evidence[:MAX_EVIDENCE_ROWS]:
            if ev.seq is not None:
                yield ev.seq
