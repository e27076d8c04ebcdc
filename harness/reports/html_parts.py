"""Parts of report.html drawn from a trace digest: the timeline, the SDK breakdown and
the trace issues (hook coverage and the run-level matrix: :mod:`html_coverage`).

Every value that came from the app, the device or a trace goes through :func:`esc`.
"""

from __future__ import annotations

import math

from harness.model import Category, MarkerKind, Phase
from harness.reports._text import esc
from harness.reports.digest import BUCKETS, TraceDigest
from harness.reports.i18n import Translator

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

MARKER_COLORS: dict[MarkerKind, str] = {
    MarkerKind.LAUNCHED: "#555555",
    MarkerKind.CONSENT_SHOWN: "#1f4e99",
    MarkerKind.CONSENT_GRANTED: "#107010",
    MarkerKind.CONSENT_REFUSED: "#b00000",
    MarkerKind.CONSENT_WITHDRAWN: "#b00000",
    MarkerKind.PERMISSION_PROMPT: "#8a5a00",
    MarkerKind.APP_EXIT: "#555555",
}

PHASE_FILL = {
    Phase.PRE_CONSENT: "#fff4d6",
    Phase.POST_CONSENT: "#e7f6e7",
    Phase.POST_REFUSAL: "#fbe3e3",
}


def fmt_ms(tr: Translator, ms: float | None) -> str:
    if ms is None:
        return tr.t("n/a")
    if abs(ms) >= 1000:
        return f"{ms / 1000:+.2f} s"
    return f"{ms:+.0f} ms"


def anchor_label(tr: Translator, d: TraceDigest) -> str:
    labels = {
        "consent granted": tr.t("consent granted"),
        "consent refused": tr.t("consent refused"),
        "consent dialog shown": tr.t("consent dialog shown"),
        "start of trace (no consent moment)": tr.t("start of trace (no consent moment)"),
    }
    return labels.get(d.anchor_label, d.anchor_label)


def marker_label(tr: Translator, kind: MarkerKind) -> str:
    labels = {
        MarkerKind.LAUNCHED: tr.t("launch"),
        MarkerKind.CONSENT_SHOWN: tr.t("dialog"),
        MarkerKind.CONSENT_GRANTED: tr.t("agree"),
        MarkerKind.CONSENT_REFUSED: tr.t("refuse"),
        MarkerKind.CONSENT_WITHDRAWN: tr.t("withdraw"),
        MarkerKind.PERMISSION_PROMPT: tr.t("perm"),
        MarkerKind.APP_EXIT: tr.t("exit"),
    }
    return labels.get(kind, kind.value)


# ----------------------------------------------------------------------- timeline

_W, _LABEL_W, _LANE_H, _TOP, _AXIS_H = 960, 130, 16, 30, 22


def timeline(tr: Translator, d: TraceDigest | None) -> list[str]:
    out = [f"<h3>{esc(tr.t('Timeline'))}</h3>"]
    if d is None:
        return out + [f'<p class="note">{esc(tr.t("no trace in this run folder"))}</p>']
    if d.error:
        text = tr.t("trace unreadable: {error}", error=d.error)
        return out + [f'<p class="flag">{esc(text, limit=2000)}</p>']
    if d.t0 is None or d.t1 is None:
        text = tr.t("the trace holds no calls and no consent moments")
        return out + [f'<p class="note">{esc(text)}</p>']
    lanes = [c for c in Category if c in d.buckets]
    plot_w = _W - _LABEL_W - 10
    cell_w = plot_w / BUCKETS
    height = _TOP + max(len(lanes), 1) * _LANE_H + _AXIS_H
    t0 = d.t0
    span = max(d.t1 - t0, 1.0)

    def x_of(ts: float) -> float:
        return _LABEL_W + (ts - t0) / span * plot_w

    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" '
        f'viewBox="0 0 {_W} {height}" role="img" aria-label="{esc(tr.t("calls over time"))}">'
    ]
    plot_bottom = _TOP + max(len(lanes), 1) * _LANE_H
    for a, b, ph in d.phase_segments():
        svg.append(
            f'<rect x="{x_of(a):.1f}" y="{_TOP}" width="{x_of(b) - x_of(a):.1f}" '
            f'height="{plot_bottom - _TOP}" fill="{PHASE_FILL[ph]}">'
            f"<title>{esc(tr.term('phase', ph))}</title></rect>"
        )
    peak = max((max(v) for v in d.buckets.values()), default=1) or 1
    for li, cat in enumerate(lanes):
        y = _TOP + li * _LANE_H
        svg.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 12}" text-anchor="end">'
            f"{esc(tr.term('category', cat))}</text>"
        )
        for i, n in enumerate(d.buckets[cat]):
            if not n:
                continue
            opacity = 0.3 + 0.7 * math.log1p(n) / math.log1p(peak)
            b0 = t0 + i * d.bucket_ms
            tip = tr.n(
                "{category}: {n} call, {start} … {end}",
                "{category}: {n} calls, {start} … {end}",
                n,
                category=tr.term("category", cat),
                start=fmt_ms(tr, d.rel_ms(b0)),
                end=fmt_ms(tr, d.rel_ms(b0 + d.bucket_ms)),
            )
            svg.append(
                f'<rect x="{_LABEL_W + i * cell_w:.1f}" y="{y + 2}" '
                f'width="{max(cell_w - 0.5, 1):.1f}" '
                f'height="{_LANE_H - 4}" fill="{CATEGORY_COLORS[cat]}" opacity="{opacity:.2f}">'
                f"<title>{esc(tip)}</title></rect>"
            )
    if not lanes:
        svg.append(
            f'<text x="{_LABEL_W + 4}" y="{_TOP + 12}">{esc(tr.t("no sensitive calls"))}</text>'
        )
    for k in range(6):
        ts = t0 + span * k / 5
        x = x_of(ts)
        anchor = "start" if k == 0 else ("end" if k == 5 else "middle")
        svg.append(
            f'<line x1="{x:.1f}" y1="{plot_bottom}" x2="{x:.1f}" y2="{plot_bottom + 4}" '
            'stroke="#888"/>'
        )
        svg.append(
            f'<text x="{x:.1f}" y="{plot_bottom + 16}" text-anchor="{anchor}">'
            f"{esc(fmt_ms(tr, d.rel_ms(ts)))}</text>"
        )
    for m in d.markers:
        color = MARKER_COLORS.get(m.kind, "#555555")
        x = x_of(m.ts)
        tip = tr.t(
            "{marker} ({source}) at {time}",
            marker=tr.term("marker", m.kind),
            source=tr.term("source", m.source),
            time=fmt_ms(tr, d.rel_ms(m.ts)),
        )
        svg.append(
            f'<g><title>{esc(tip)}</title><line x1="{x:.1f}" y1="{_TOP - 12}" x2="{x:.1f}" '
            f'y2="{plot_bottom}" stroke="{color}" stroke-width="1.5" stroke-dasharray="3,2"/>'
            f'<text x="{x + 2:.1f}" y="{_TOP - 14}" fill="{color}">'
            f"{esc(marker_label(tr, m.kind))}</text></g>"
        )
    svg.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{CATEGORY_COLORS[c]}"></i>{esc(tr.term("category", c))}'
        "</span>"
        for c in lanes
    )
    legend += "".join(
        f'<span><i style="background:{PHASE_FILL[p]};border:1px solid #ccc"></i>'
        f"{esc(tr.term('phase', p))}</span>"
        for p in Phase
    )
    note = tr.n(
        "{n} call in {buckets} buckets of {ms} ms; 0 = {anchor}; darker = more calls.",
        "{n} calls in {buckets} buckets of {ms} ms; 0 = {anchor}; darker = more calls.",
        d.calls,
        buckets=BUCKETS,
        ms=f"{d.bucket_ms:.0f}",
        anchor=anchor_label(tr, d),
    )
    return out + [
        "".join(svg),
        f'<div class="legend">{legend}</div>',
        f'<p class="note">{esc(note)}</p>',
    ]


# ------------------------------------------------------------------ SDK breakdown


def thread_cell(thread: str | None, d: TraceDigest | None, seq: int | None) -> str:
    """An evidence call's thread, and the process it ran in when the trace names one
    that is not the app's main process (``com.example.x:push``: an SDK's own process)."""
    process = d.processes.get(seq) if d is not None and seq is not None else None
    main = d.header.app.package if d is not None and d.header is not None else None
    cell = esc(thread or "", limit=500)
    if process and process != main:
        cell += f'<br><span class="mono">{esc(process, limit=500)}</span>'
    elif process:
        cell = f'<span title="{esc(process, limit=500)}">{cell}</span>'
    return f"<td>{cell}</td>"


def count_cell(n: int) -> str:
    return f'<td class="n">{n}</td>' if n else '<td class="n zero">·</td>'


def sdk_table(tr: Translator, d: TraceDigest | None) -> list[str]:
    if d is None or d.error or not d.sdks:
        return []
    cats = [c for c in Category if c.value in d.by_category]
    out = [
        f"<h3>{esc(tr.t('SDK breakdown'))}</h3><table><thead><tr>"
        f"<th>{esc(tr.t('SDK'))}</th><th>{esc(tr.t('kind'))}</th><th>{esc(tr.t('calls'))}</th>",
        *(f"<th>{esc(tr.term('phase', p))}</th>" for p in Phase),
        *(f"<th>{esc(tr.term('category', c))}</th>" for c in cats),
        "</tr></thead><tbody>",
    ]
    for row in d.sdks:
        sdk = tr.t("(other SDKs)") if row.sdk == "(other SDKs)" else row.sdk
        cells = [
            f'<tr><td class="mono">{esc(sdk, limit=500)}</td>'
            f'<td>{esc(tr.term("sdk_kind", row.kind) if row.kind else "")}</td>'
            f'<td class="n">{row.total}</td>'
        ]
        cells += [count_cell(row.by_phase.get(p.value, 0)) for p in Phase]
        cells += [count_cell(row.by_category.get(c.value, 0)) for c in cats]
        cells.append("</tr>")
        out.append("".join(cells))
    out.append("</tbody></table>")
    if d.sdks_folded:
        text = tr.n(
            "{n} smaller SDK folded into one row.",
            "{n} smaller SDKs folded into one row.",
            d.sdks_folded,
        )
        out.append(f'<p class="note">{esc(text)}</p>')
    return out


def issues(tr: Translator, d: TraceDigest | None) -> list[str]:
    if d is None or not d.issues:
        return []
    out = [
        f"<h3>{esc(tr.t('Trace issues'))}</h3><table><thead><tr>"
        f"<th>{esc(tr.t('level'))}</th><th>{esc(tr.t('code'))}</th>"
        f"<th>{esc(tr.t('message'))}</th></tr></thead><tbody>"
    ]
    out += [
        f"<tr><td>{esc(tr.term('level', i.level))}</td>"
        f'<td class="mono">{esc(i.code, limit=200)}</td>'
        f"<td>{esc(i.message, limit=2000)}</td></tr>"
        for i in d.issues
    ]
    out.append("</tbody></table>")
    if d.issues_total > len(d.issues):
        more = d.issues_total - len(d.issues)
        text = tr.n("{n} more issue not shown.", "{n} more issues not shown.", more)
        out.append(f'<p class="note">{esc(text)}</p>')
    return out
