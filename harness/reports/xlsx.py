"""``report.xlsx``: the run as spreadsheets (openpyxl, write-only: flat memory).

Sheets, columns named in the report language:

1. every sensitive call of every scenario — time from launch and from the consent
   moment, phase, category, API, data item, SDK, process, thread, the deciding frame, the
   stack, arguments and return value *as the trace holds them* (redacted unless the trace
   was recorded with ``--reveal-values``);
2. the verdicts, one row per scenario and rule;
3. calls per SDK × phase × category over the run.

Safety: every cell holding app-supplied text is typed as a string, so a hostile value
such as ``=HYPERLINK(…)`` or ``=cmd|' /c calc'!A0`` stays text and never becomes a
formula; characters XML forbids are shown as ``\\xNN``; cells are cut at Excel's limit.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from harness.errors import HarnessError
from harness.model import CallEvent, RunSummary, ScenarioResult
from harness.reports._text import clean
from harness.reports.appinfo import identity_rows
from harness.reports.blame import SdkBlame
from harness.reports.digest import TraceDigest
from harness.reports.i18n import Translator
from harness.reports.junit import expectation_mismatches
from harness.tracefile import open_trace

#: Excel's cell limit is 32,767 characters; leave room for the "more characters" note.
CELL_LIMIT = 32_000
#: Excel's sheet limit is 1,048,576 rows.
MAX_CALL_ROWS = 1_000_000
#: Distinct (SDK, kind, phase, category) rows before further SDKs fold into one row.
MAX_SDK_CELLS = 40_000
MAX_STACK_FRAMES = 80
_MEMO_LIMIT = 20_000


@dataclass
class XlsxSource:
    """One scenario: its result, its trace (if any) and the digest made from it."""

    result: ScenarioResult
    trace: Path | None
    digest: TraceDigest | None


class _Sheet:
    def __init__(
        self, wb: Workbook, title: str, headers: list[str], widths: list[int], scrub: Any
    ) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(title=title[:31])
        self.scrub = scrub
        for i, width in enumerate(widths):
            self.ws.column_dimensions[_column(i)].width = width
        self.ws.freeze_panes = "A2"
        bold = Font(bold=True)
        row = []
        for h in headers:
            cell = WriteOnlyCell(self.ws, value=h)
            cell.font = bold
            row.append(cell)
        self.ws.append(row)
        self.rows = 0
        # Stacks, threads, APIs repeat over thousands of calls: clean each text once.
        self._memo: dict[str, Any] = {}

    def append(self, values: list[Any]) -> None:
        self.ws.append([self._cell(v) for v in values])
        self.rows += 1

    def _cell(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool):
            return "✔" if value else "✘"
        if isinstance(value, (int, float)):
            return value
        text = str(value)
        done = self._memo.get(text)
        if done is None:
            done = self._text(text)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[text] = done
        return done

    def _text(self, text: str) -> Any:
        cleaned = clean(self.scrub(text), limit=CELL_LIMIT)
        if not cleaned.startswith("="):
            return cleaned  # openpyxl stores any other str as a string cell
        # openpyxl would store "=…" as a formula: type it as a string explicitly
        cell = WriteOnlyCell(self.ws, value="")
        cell.value = cleaned
        cell.data_type = "s"
        return cell


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_xlsx(
    path: Path,
    summary: RunSummary,
    sources: list[XlsxSource],
    tr: Translator,
    *,
    scrub: Callable[[str], str] = lambda s: s,
) -> None:
    """Write ``path`` (module doc). A trace that cannot be read is noted in its rows."""
    wb = Workbook(write_only=True)
    sdk_cells: Counter[tuple[str, str, str, str]] = Counter()
    sdk_scenarios: dict[tuple[str, str, str, str], set[int]] = {}
    calls = _Sheet(
        wb,
        tr.t("Sensitive calls"),
        [
            tr.t("Scenario"), tr.t("seq"), tr.t("ms from launch"), tr.t("ms from consent"),
            tr.t("phase"), tr.t("category"), tr.t("API"), tr.t("data item"), tr.t("SDK"),
            tr.t("SDK kind"), tr.t("process"), tr.t("thread"), tr.t("deciding frame"),
            tr.t("stack"), tr.t("args"), tr.t("return value"), tr.t("exception"),
        ],
        [28, 7, 12, 12, 12, 14, 26, 14, 22, 12, 10, 16, 50, 60, 30, 24, 20],
        scrub,
    )
    data_items = _data_items()
    for index, src in enumerate(sources):
        if src.trace is None or src.digest is None or src.digest.error:
            continue
        try:
            _call_rows(calls, index, src, tr, data_items, sdk_cells, sdk_scenarios)
        except HarnessError as exc:
            note = tr.t("trace unreadable: {error}", error=str(exc))
            calls.append([src.result.scenario, None, None, None, note])
    _verdict_sheet(wb, summary, tr, scrub)
    _sdk_sheet(wb, tr, sdk_cells, sdk_scenarios, scrub)
    _app_sheet(wb, summary, tr, sorted({cell[0] for cell in sdk_cells} - {"(other SDKs)"}),
               scrub)
    when = _time_of(summary.finished_at)
    wb.properties.creator = "consent-harness"
    wb.properties.created = wb.properties.modified = when
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    _fix_zip_times(path, when)


def _time_of(iso: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        when = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return max(when, dt.datetime(1980, 1, 1))


def _fix_zip_times(path: Path, when: dt.datetime) -> None:
    """Rewrite the archive with every entry dated ``when``: the same run gives the same
    bytes (a re-rendered folder can be compared with the sealed one)."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    stamp = when.timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    # openpyxl stamps "modified" with the time of saving, whatever the properties say
    entries = [
        (info, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, data))
        if info.filename == "docProps/core.xml"
        else (info, data)
        for info, data in entries
    ]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    tmp.replace(path)


def _data_items() -> Callable[[str], str | None]:
    try:
        from harness.catalog import load_catalog

        catalog = load_catalog()
    except HarnessError:
        return lambda _api: None

    def lookup(api: str) -> str | None:
        entry = catalog.get(api)
        return None if entry is None else entry.data

    return lookup


def _call_rows(
    sheet: _Sheet,
    index: int,
    src: XlsxSource,
    tr: Translator,
    data_items: Callable[[str], str | None],
    sdk_cells: Counter[tuple[str, str, str, str]],
    sdk_scenarios: dict[tuple[str, str, str, str], set[int]],
) -> None:
    d = src.digest
    assert d is not None and src.trace is not None
    package = src.result.package or (d.header.app.package if d.header else "")
    attribute = SdkBlame(package)
    launched = d.launched_ts
    name = src.result.scenario
    for call in open_trace(src.trace).records():
        if type(call) is not CallEvent:
            continue
        phase = d.phase(call.ts, call.seq)
        sdk, kind = attribute(call.stack, call.api)
        key = (sdk, kind or "", phase.value, call.category.value)
        if key not in sdk_cells and len(sdk_cells) >= MAX_SDK_CELLS:
            key = ("(other SDKs)", "", phase.value, call.category.value)
        sdk_cells[key] += 1
        sdk_scenarios.setdefault(key, set()).add(index)
        if sheet.rows >= MAX_CALL_ROWS:
            continue
        rel = d.timeline.t_rel(call.ts)
        sheet.append(
            [
                name,
                call.seq,
                None if launched is None else round(call.ts - launched, 1),
                None if rel is None else round(rel, 1),
                tr.term("phase", phase),
                tr.term("category", call.category),
                call.api,
                call.data or data_items(call.api),
                sdk,
                tr.term("sdk_kind", kind) if kind else None,
                _process(d, call.pid),
                f"{call.thread} (tid {call.tid})",
                attribute.frame(call.stack, call.api),
                "\n".join(call.stack[:MAX_STACK_FRAMES]),
                "\n".join(call.args),
                call.ret,
                call.threw,
            ]
        )
    if sheet.rows >= MAX_CALL_ROWS:
        note = tr.t("more calls than a sheet holds: see trace.jsonl")
        sheet.append([name, None, None, None, note])


def _process(d: TraceDigest, pid: int) -> str:
    name = d.coverage.processes.get(pid)
    return f"{name} (pid {pid})" if name else f"pid {pid}"


def _verdict_sheet(
    wb: Workbook, summary: RunSummary, tr: Translator, scrub: Callable[[str], str]
) -> None:
    sheet = _Sheet(
        wb,
        tr.t("Verdicts"),
        [
            tr.t("Scenario"), tr.t("Scenario file"), tr.t("Package"), tr.t("Device"),
            tr.t("Overall"), tr.t("Article"), tr.t("Article verdict"), tr.t("Rule"),
            tr.t("Statement"), tr.t("Verdict"), tr.t("Reason"), tr.t("Calls"), tr.t("SDKs"),
            tr.t("Expected"), tr.t("Expectation met"), tr.t("Error"), tr.t("Did not happen"),
        ],
        [28, 26, 22, 18, 12, 8, 12, 30, 50, 12, 60, 8, 30, 12, 10, 40, 40],
        scrub,
    )
    for r in summary.scenarios:
        articles = {a.article: a.verdict for a in r.articles}
        mism = expectation_mismatches(r) if r.expect else []
        base = [r.scenario, r.file, r.package, r.device, tr.term("verdict", r.verdict)]
        unreached = "\n".join(tr.reason(u) for u in r.unreached) or None
        if not r.rules:
            sheet.append([*base, None, None, None, None, None, None, None, None, None,
                          None if not r.expect else not mism, r.error, unreached])
            continue
        for rule in r.rules:
            want = r.expect.get(rule.rule) or r.expect.get(rule.article)
            sdks = ", ".join(f"{k} ({n})" for k, n in rule.sdks.items())
            article_verdict = articles.get(rule.article)
            sheet.append(
                [
                    *base,
                    rule.article,
                    None if article_verdict is None else tr.term("verdict", article_verdict),
                    rule.rule,
                    tr.statement(rule.rule, rule.statement),
                    tr.term("verdict", rule.verdict),
                    tr.reason(rule.reason),
                    max(rule.evidence_count, len(rule.evidence)),
                    sdks,
                    None if want is None else tr.term("verdict", want),
                    None if not r.expect else not mism,
                    r.error,
                    unreached,
                ]
            )


def _app_sheet(
    wb: Workbook,
    summary: RunSummary,
    tr: Translator,
    seen: list[str],
    scrub: Callable[[str], str],
) -> None:
    """The apps ``check`` identified (hash, signers, SDKs in the binary): the sheet a
    reviewer files beside the verdicts. None identified (``run``): no sheet."""
    if not summary.apps:
        return
    sheet = _Sheet(wb, tr.t("App under test"), [tr.t("Package"), tr.t("Item"), tr.t("Value")],
                   [30, 34, 90], scrub)
    for app in summary.apps:
        for label, value in identity_rows(tr, app, seen):
            sheet.append([app.package, label, value])


def _sdk_sheet(
    wb: Workbook,
    tr: Translator,
    cells: Counter[tuple[str, str, str, str]],
    scenarios: dict[tuple[str, str, str, str], set[int]],
    scrub: Callable[[str], str],
) -> None:
    sheet = _Sheet(
        wb,
        tr.t("SDK × phase × category"),
        [tr.t("SDK"), tr.t("SDK kind"), tr.t("phase"), tr.t("category"), tr.t("calls"),
         tr.t("scenarios")],
        [30, 14, 14, 18, 10, 10],
        scrub,
    )
    for (sdk, kind, phase, category), n in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0])):
        sheet.append(
            [
                tr.t("(other SDKs)") if sdk == "(other SDKs)" else sdk,
                tr.term("sdk_kind", kind) if kind else None,
                tr.term("phase", phase),
                tr.term("category", category),
                n,
                len(scenarios[(sdk, kind, phase, category)]),
            ]
        )
