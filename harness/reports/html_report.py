"""``report.html``: one self-contained page (inline CSS, a few lines of inline JS, no
external assets).

Safety: every value that came from the app, the device, a scenario file or a trace goes
through :func:`harness.reports._text.esc` (cleaned, ``html.escape(quote=True)``); no data
is handed to JavaScript at all (the script only toggles a CSS class), and a
Content-Security-Policy allows no script but that one (by hash), so even a missed escape
could not run code. Screenshots are linked relatively (``scenarios/<slug>/dialog.png``):
the page stays small and the PNGs stay covered by the manifest as separate files.

Size: the timeline and the SDK table come from a :class:`TraceDigest` (counts per time
bucket and per SDK), so a 100k-call trace renders as a page of bounded size.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from harness.model import Category, Evidence, MarkerKind, Phase, RunSummary, ScenarioResult, Verdict
from harness.reports._text import esc
from harness.reports.digest import BUCKETS, TraceDigest
from harness.reports.junit import expectation_mismatches

DEFAULT_ARTICLES = ("7.2", "7.4")
MAX_EVIDENCE_ROWS = 20
MAX_DEVICE_PROPS = 20
_LIMIT = 500

CATEGORY_COLORS: dict[Category, str] = {
    Category.DEVICE_ID: "#d62728",
    Category.NETWORK_ID: "#ff7f0e",
    Category.PHONE_NUMBER: "#8c564b",
    Category.LOCATION: "#2ca02c",
    Category.CONTACTS: "#9467bd",
    Category.SMS: "#e377c2",
    Category.CALL_LOG: "#7f7f7f",
    Category.CALENDAR: "#bcbd22",
    Category.MEDIA: "#17becf",
    Category.CAMERA: "#1f77b4",
    Category.MICROPHONE: "#393b79",
    Category.INSTALLED_APPS: "#e6550d",
    Category.RUNNING_APPS: "#a55194",
    Category.CLIPBOARD: "#637939",
    Category.ACCOUNTS: "#843c39",
    Category.PERMISSION_REQUEST: "#3182bd",
    Category.PACKAGE_INSTALL: "#000000",
}

MARKER_LABELS: dict[MarkerKind, tuple[str, str]] = {
    MarkerKind.LAUNCHED: ("launch", "#555555"),
    MarkerKind.CONSENT_SHOWN: ("dialog", "#1f4e99"),
    MarkerKind.CONSENT_GRANTED: ("agree", "#107010"),
    MarkerKind.CONSENT_REFUSED: ("refuse", "#b00000"),
    MarkerKind.CONSENT_WITHDRAWN: ("withdraw", "#b00000"),
    MarkerKind.PERMISSION_PROMPT: ("perm", "#8a5a00"),
    MarkerKind.APP_EXIT: ("exit", "#555555"),
}

PHASE_FILL = {
    Phase.PRE_CONSENT: "#fff4d6",
    Phase.POST_CONSENT: "#e7f6e7",
    Phase.POST_REFUSAL: "#fbe3e3",
}

_SCRIPT = (
    "document.getElementById('only-problems').addEventListener('change',function(e){"
    "document.body.classList.toggle('only-problems',e.target.checked);});"
)

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;
 padding:0 16px 48px;color:#1b1b1b}
h1{font-size:22px;margin:18px 0 6px}h2{font-size:18px;margin:28px 0 8px;
 border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}
th,td{border:1px solid #d8d8d8;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{background:#f7f7f7;padding:6px;overflow-x:auto;margin:4px 0;white-space:pre-wrap;
 word-break:break-all}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:6px 0}
dl.meta dt{color:#555}dl.meta dd{margin:0;word-break:break-all}
.v{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600;font-size:12px}
.v-pass{background:#d9f2d9;color:#125112}.v-fail{background:#f8d0d0;color:#8a0000}
.v-error{background:#4a0000;color:#fff}.v-inconclusive{background:#fbe9b7;color:#6b4b00}
.v-not_applicable{background:#eee;color:#555}
.mismatch{outline:2px solid #c00;outline-offset:-2px}
.flag{color:#c00;font-weight:600}
.note{color:#555;font-size:12px}
figure{display:inline-block;margin:4px 12px 4px 0}figure img{max-width:240px;
 border:1px solid #ccc}figcaption{font-size:12px;color:#555}
svg text{font:11px system-ui,sans-serif}
.legend span{display:inline-block;margin-right:10px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:3px;vertical-align:-1px}
details>summary{cursor:pointer;color:#1f4e99}
body.only-problems .ok{display:none}
"""


@dataclass
class ScenarioView:
    """One scenario as the page shows it."""

    result: ScenarioResult
    anchor: str
    rel_dir: str | None = None
    digest: TraceDigest | None = None
    #: (caption, path relative to the run folder)
    screenshots: list[tuple[str, str]] = field(default_factory=list)
    #: (label, path relative to the run folder)
    files: list[tuple[str, str]] = field(default_factory=list)


def _href(rel: str) -> str:
    return esc(quote(rel, safe="/"))


def _badge(verdict: Verdict | None) -> str:
    if verdict is None:
        return '<span class="v v-not_applicable">—</span>'
    return f'<span class="v v-{verdict.value}">{esc(verdict.value)}</span>'


def _fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "n/a"
    if abs(ms) >= 1000:
        return f"{ms / 1000:+.2f} s"
    return f"{ms:+.0f} ms"


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


def render_html(summary: RunSummary, views: list[ScenarioView]) -> str:
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: file:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>consent-harness report — {esc(summary.started_at)}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    out += _header(summary, views)
    out += _verdict_table(summary, views)
    for view in views:
        out += _scenario(view)
    out.append(f"<script>{_SCRIPT}</script>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------- header


def _header(summary: RunSummary, views: list[ScenarioView]) -> list[str]:
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
    flag = f' — <span class="flag">{mismatched} expectation mismatch(es)</span>'
    counts = ", ".join(f"{_badge(Verdict(k))} {n}" for k, n in sorted(by_verdict.items()))
    out = [
        "<header><h1>consent-harness report</h1>",
        '<dl class="meta">',
        f"<dt>Run</dt><dd>{esc(summary.started_at)} → {esc(summary.finished_at)}</dd>",
        f"<dt>Harness version</dt><dd>{esc(summary.harness_version)}</dd>",
        f"<dt>Device(s)</dt><dd>{esc(', '.join(devices) or 'unknown')}</dd>",
        f"<dt>Scenarios</dt><dd>{len(summary.scenarios)}: {counts or 'none'}"
        + (flag if mismatched else "")
        + "</dd>",
    ]
    if summary.counts:
        extra = ", ".join(f"{esc(k)}: {esc(v)}" for k, v in sorted(summary.counts.items()))
        out.append(f"<dt>Counts</dt><dd>{extra}</dd>")
    out.append("</dl></header>")
    return out


def _verdict_table(summary: RunSummary, views: list[ScenarioView]) -> list[str]:
    articles = _articles(summary)
    out = [
        '<section id="verdicts"><h2>Verdicts</h2>',
        '<p><label><input type="checkbox" id="only-problems"> show only failing, erroring '
        "or mismatched scenarios</label></p>",
        "<table><thead><tr><th>Scenario</th><th>Package</th>",
    ]
    out += [f"<th>Art. {esc(a)}</th>" for a in articles]
    out.append("<th>Overall</th><th>Expectation</th></tr></thead><tbody>")
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
                row.append(
                    f'<td class="mismatch">{_badge(got)}<br>'
                    f'<span class="flag">expected {esc(want.value)}</span></td>'
                )
            else:
                row.append(f"<td>{_badge(got)}</td>")
        row.append(f"<td>{_badge(r.verdict)}</td>")
        if not r.expect:
            row.append('<td class="note">none</td>')
        else:
            mism = expectation_mismatches(r)
            row.append('<td class="flag">mismatch</td>' if mism else "<td>met</td>")
        row.append("</tr>")
        out.append("".join(row))
    out.append("</tbody></table></section>")
    return out


# ----------------------------------------------------------------------- scenario


def _scenario(view: ScenarioView) -> list[str]:
    r = view.result
    cls = "problem" if _is_problem(r) else "ok"
    out = [
        f'<section class="scenario {cls}" id="{view.anchor}">',
        f"<h2>{esc(r.scenario, limit=_LIMIT)} {_badge(r.verdict)}</h2>",
        '<dl class="meta">',
        f'<dt>Package</dt><dd class="mono">{esc(r.package, limit=_LIMIT)}</dd>',
    ]
    if r.file:
        where = r.file + (f":{r.line}" if r.line is not None else "")
        out.append(f'<dt>Scenario file</dt><dd class="mono">{esc(where, limit=_LIMIT)}</dd>')
    if r.device:
        out.append(f"<dt>Device</dt><dd>{esc(r.device, limit=_LIMIT)}</dd>")
    if r.duration_s is not None:
        out.append(f"<dt>Duration</dt><dd>{r.duration_s:.1f} s</dd>")
    if r.expect:
        exp = ", ".join(f"{a}: {v.value}" for a, v in sorted(r.expect.items()))
        out.append(f"<dt>Expected</dt><dd>{esc(exp)}</dd>")
        mism = expectation_mismatches(r)
        if mism:
            out.append(f'<dt>Mismatch</dt><dd class="flag">{esc("; ".join(mism))}</dd>')
    if r.error:
        out.append(f'<dt>Error</dt><dd class="flag">{esc(r.error, limit=2000)}</dd>')
    if view.files:
        links = " · ".join(f'<a href="{_href(p)}">{esc(label)}</a>' for label, p in view.files)
        out.append(f"<dt>Files</dt><dd>{links}</dd>")
    if view.digest and view.digest.header:
        out += _trace_header(view.digest)
    out.append("</dl>")
    if view.screenshots:
        out.append("<div>")
        for caption, rel in view.screenshots:
            out.append(
                f'<figure><a href="{_href(rel)}"><img src="{_href(rel)}" alt="{esc(caption)}" '
                f'loading="lazy"></a><figcaption>{esc(caption)}</figcaption></figure>'
            )
        out.append("</div>")
    out += _rules(view)
    if view.digest is not None and view.digest.dialog_texts:
        quoted = " · ".join(esc(t) for t in view.digest.dialog_texts)
        out.append(f'<p class="note">consent dialog as shown: <q>{quoted}</q></p>')
    out += _timeline(view.digest)
    out += _sdk_table(view.digest)
    out += _issues(view.digest)
    out.append("</section>")
    return out


def _trace_header(d: TraceDigest) -> list[str]:
    assert d.header is not None
    h = d.header
    app = h.app.package + (f" {h.app.version_name}" if h.app.version_name else "")
    out = [f'<dt>App (trace)</dt><dd class="mono">{esc(app, limit=_LIMIT)}</dd>']
    if h.device:
        props = sorted(h.device.items())[:MAX_DEVICE_PROPS]
        text = ", ".join(f"{k}={v}" for k, v in props)
        out.append(f'<dt>Device properties</dt><dd class="mono">{esc(text, limit=2000)}</dd>')
    scope = "not stated" if h.scope is None else ", ".join(c.value for c in h.scope) or "none"
    out.append(f"<dt>Scope</dt><dd>{esc(scope)}</dd>")
    out.append(
        f'<dt>Catalog</dt><dd class="mono">{esc(h.catalog_hash, limit=100)}'
        f"{' (values redacted)' if h.redacted else ' (values revealed)'}</dd>"
    )
    if d.end is not None:
        end = d.end.reason + (f": {d.end.message}" if d.end.message else "")
        out.append(f"<dt>Trace end</dt><dd>{esc(end, limit=_LIMIT)}</dd>")
    else:
        out.append('<dt>Trace end</dt><dd class="flag">no end record (cut short)</dd>')
    return out


def _rules(view: ScenarioView) -> list[str]:
    r = view.result
    if not r.rules:
        return ['<h3>Rules</h3><p class="note">no rule results</p>']
    out = [
        "<h3>Rules</h3><table><thead><tr><th>Rule</th><th>Art.</th><th>Verdict</th>"
        "<th>Reason</th><th>Calls</th><th>SDKs</th></tr></thead><tbody>"
    ]
    for rule in r.rules:
        sdks = ", ".join(f"{k} ({n})" for k, n in sorted(rule.sdks.items(), key=lambda kv: -kv[1]))
        count = max(rule.evidence_count, len(rule.evidence))
        out.append(
            f'<tr><td class="mono" title="{esc(rule.statement)}">{esc(rule.rule)}</td>'
            f"<td>{esc(rule.article)}</td><td>{_badge(rule.verdict)}</td>"
            f'<td>{esc(rule.reason, limit=2000)}</td><td class="n">{count}</td>'
            f"<td>{esc(sdks, limit=1000)}</td></tr>"
        )
        if rule.evidence:
            out.append('<tr><td colspan="6">')
            out += _evidence(rule.evidence, count, view.digest)
            out.append("</td></tr>")
    out.append("</tbody></table>")
    return out


def _evidence(evidence: list[Evidence], count: int, digest: TraceDigest | None) -> list[str]:
    shown = evidence[:MAX_EVIDENCE_ROWS]
    out = [
        f"<details><summary>evidence: {len(shown)} of {count} call(s)</summary>",
        "<table><thead><tr><th>seq</th><th>phase</th><th>t vs consent</th><th>API</th>"
        "<th>category</th><th>SDK</th><th>thread</th><th>frame / stack</th><th>args</th>"
        "</tr></thead><tbody>",
    ]
    for ev in shown:
        stack = digest.stacks.get(ev.seq) if (digest and ev.seq is not None) else None
        frame = esc(ev.frame or "", limit=_LIMIT)
        if stack:
            frames = "\n".join(esc(f, limit=_LIMIT) for f in stack)
            frame_cell = (
                f'<details><summary class="mono">{frame or "stack"}</summary>'
                f"<pre>{frames}</pre></details>"
            )
        else:
            frame_cell = f'<span class="mono">{frame}</span>'
        sdk = ev.sdk + (f" ({ev.sdk_kind})" if ev.sdk_kind else "")
        out.append(
            f'<tr><td class="n">{esc("" if ev.seq is None else ev.seq)}</td>'
            f'<td>{esc(ev.phase.value)}</td><td class="n">{esc(_fmt_ms(ev.t_rel_ms))}</td>'
            f'<td class="mono">{esc(ev.api, limit=_LIMIT)}</td><td>{esc(ev.category.value)}</td>'
            f"<td>{esc(sdk, limit=_LIMIT)}</td><td>{esc(ev.thread or '', limit=_LIMIT)}</td>"
            f'<td>{frame_cell}</td><td class="mono">{esc(", ".join(ev.args), limit=_LIMIT)}</td>'
            "</tr>"
        )
    out.append("</tbody></table></details>")
    return out


# ----------------------------------------------------------------------- timeline

_W, _LABEL_W, _LANE_H, _TOP, _AXIS_H = 960, 120, 16, 30, 22


def _timeline(d: TraceDigest | None) -> list[str]:
    out = ["<h3>Timeline</h3>"]
    if d is None:
        return out + ['<p class="note">no trace in this run folder</p>']
    if d.error:
        return out + [f'<p class="flag">trace unreadable: {esc(d.error, limit=2000)}</p>']
    if d.t0 is None or d.t1 is None:
        return out + ['<p class="note">the trace holds no calls and no consent moments</p>']
    lanes = [c for c in Category if c in d.buckets]
    plot_w = _W - _LABEL_W - 10
    cell_w = plot_w / BUCKETS
    height = _TOP + max(len(lanes), 1) * _LANE_H + _AXIS_H
    span = max(d.t1 - d.t0, 1.0)

    def x_of(ts: float) -> float:
        return _LABEL_W + (ts - d.t0) / span * plot_w if d.t0 is not None else _LABEL_W

    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" '
        f'viewBox="0 0 {_W} {height}" role="img" aria-label="calls over time">'
    ]
    # Phase background, cut exactly at the consent decisions.
    plot_bottom = _TOP + max(len(lanes), 1) * _LANE_H
    for a, b, ph in d.phase_segments():
        svg.append(
            f'<rect x="{x_of(a):.1f}" y="{_TOP}" width="{x_of(b) - x_of(a):.1f}" '
            f'height="{plot_bottom - _TOP}" fill="{PHASE_FILL[ph]}"><title>{esc(ph.value)}</title>'
            "</rect>"
        )
    peak = max((max(v) for v in d.buckets.values()), default=1) or 1
    for li, cat in enumerate(lanes):
        y = _TOP + li * _LANE_H
        svg.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 12}" text-anchor="end">{esc(cat.value)}</text>'
        )
        for i, n in enumerate(d.buckets[cat]):
            if not n:
                continue
            opacity = 0.3 + 0.7 * math.log1p(n) / math.log1p(peak)
            b0 = d.t0 + i * d.bucket_ms
            tip = (
                f"{cat.value}: {n} call(s), {_fmt_ms(d.rel_ms(b0))} … "
                f"{_fmt_ms(d.rel_ms(b0 + d.bucket_ms))}"
            )
            svg.append(
                f'<rect x="{_LABEL_W + i * cell_w:.1f}" y="{y + 2}" '
                f'width="{max(cell_w - 0.5, 1):.1f}" '
                f'height="{_LANE_H - 4}" fill="{CATEGORY_COLORS[cat]}" opacity="{opacity:.2f}">'
                f"<title>{esc(tip)}</title></rect>"
            )
    if not lanes:
        svg.append(f'<text x="{_LABEL_W + 4}" y="{_TOP + 12}">no sensitive calls</text>')
    # Axis: ticks relative to the anchor.
    for k in range(6):
        ts = d.t0 + span * k / 5
        x = x_of(ts)
        anchor = "start" if k == 0 else ("end" if k == 5 else "middle")
        svg.append(
            f'<line x1="{x:.1f}" y1="{plot_bottom}" x2="{x:.1f}" y2="{plot_bottom + 4}" '
            'stroke="#888"/>'
        )
        svg.append(
            f'<text x="{x:.1f}" y="{plot_bottom + 16}" text-anchor="{anchor}">'
            f"{esc(_fmt_ms(d.rel_ms(ts)))}</text>"
        )
    # Consent moments.
    for m in d.markers:
        label, color = MARKER_LABELS[m.kind]
        x = x_of(m.ts)
        tip = f"{m.kind.value} ({m.source}) at {_fmt_ms(d.rel_ms(m.ts))}"
        svg.append(
            f'<g><title>{esc(tip)}</title><line x1="{x:.1f}" y1="{_TOP - 12}" x2="{x:.1f}" '
            f'y2="{plot_bottom}" stroke="{color}" stroke-width="1.5" stroke-dasharray="3,2"/>'
            f'<text x="{x + 2:.1f}" y="{_TOP - 14}" fill="{color}">{esc(label)}</text></g>'
        )
    svg.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{CATEGORY_COLORS[c]}"></i>{esc(c.value)}</span>' for c in lanes
    )
    legend += "".join(
        f'<span><i style="background:{PHASE_FILL[p]};border:1px solid #ccc"></i>'
        f"{esc(p.value)}</span>"
        for p in Phase
    )
    note = (
        f"{d.calls} call(s) in {BUCKETS} buckets of {d.bucket_ms:.0f} ms; "
        f"0 = {d.anchor_label}; darker = more calls."
    )
    return out + [
        "".join(svg),
        f'<div class="legend">{legend}</div>',
        f'<p class="note">{esc(note)}</p>',
    ]


# ------------------------------------------------------------------ SDK breakdown


def _sdk_table(d: TraceDigest | None) -> list[str]:
    if d is None or d.error or not d.sdks:
        return []
    cats = [c.value for c in Category if c.value in d.by_category]
    phases = [p.value for p in Phase]
    out = [
        "<h3>SDK breakdown</h3><table><thead><tr><th>SDK</th><th>kind</th><th>calls</th>",
        *(f"<th>{esc(p)}</th>" for p in phases),
        *(f"<th>{esc(c)}</th>" for c in cats),
        "</tr></thead><tbody>",
    ]
    for row in d.sdks:
        cells = [
            f'<tr><td class="mono">{esc(row.sdk, limit=_LIMIT)}</td>'
            f'<td>{esc(row.kind or "")}</td><td class="n">{row.total}</td>'
        ]
        cells += [f'<td class="n">{row.by_phase.get(p, 0) or ""}</td>' for p in phases]
        cells += [f'<td class="n">{row.by_category.get(c, 0) or ""}</td>' for c in cats]
        cells.append("</tr>")
        out.append("".join(cells))
    out.append("</tbody></table>")
    if d.sdks_folded:
        out.append(f'<p class="note">{d.sdks_folded} smaller SDKs folded into one row.</p>')
    return out


def _issues(d: TraceDigest | None) -> list[str]:
    if d is None or not d.issues:
        return []
    out = [
        "<h3>Trace issues</h3><table><thead><tr><th>level</th><th>code</th><th>message</th>"
        "</tr></thead><tbody>"
    ]
    out += [
        f'<tr><td>{esc(i.level)}</td><td class="mono">{esc(i.code, limit=200)}</td>'
        f"<td>{esc(i.message, limit=2000)}</td></tr>"
        for i in d.issues
    ]
    out.append("</tbody></table>")
    if d.issues_total > len(d.issues):
        out.append(f'<p class="note">{d.issues_total - len(d.issues)} more issue(s) not shown.</p>')
    return out


def scenario_anchor(index: int) -> str:
    return f"s{index + 1}"


def evidence_seqs(result: ScenarioResult) -> Iterable[int]:
    for rule in result.rules:
        for ev in rule.evidence[:MAX_EVIDENCE_ROWS]:
            if ev.seq is not None:
                yield ev.seq
