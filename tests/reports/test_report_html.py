"""report.html: self-contained, every hostile string escaped, bounded size."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.model import RunSummary
from harness.reports import RunFolder, write_reports
from tests.reports.conftest import (
    BASE,
    HOSTILE,
    HOSTILE_FRAME,
    HOSTILE_SDK,
    hostile_summary,
    hostile_trace,
    make_summary,
    write_trace,
)


class _Page(HTMLParser):
    """Collects what matters for safety: elements, attributes, scripts, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _render(
    tmp_path: Path,
    summary: RunSummary,
    traces: dict[str, Path] | None = None,
    **kw: object,
) -> str:
    write_reports(tmp_path / "run", summary, traces, created_at="T", **kw)  # type: ignore[arg-type]
    return (tmp_path / "run" / "report.html").read_text(encoding="utf-8")


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_hostile_strings_are_escaped_everywhere(tmp_path: Path) -> None:
    summary = hostile_summary()
    trace = write_trace(tmp_path / "h.jsonl", hostile_trace(HOSTILE))
    # reveal_values: the hostile device name (a "serial") is shown, not redacted
    page = _render(tmp_path, summary, {HOSTILE: trace}, reveal_values=True)
    parsed = _parse(page)
    # Exactly one script element: ours, inline, no src.
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == [{}]
    assert "alert" not in parsed.scripts[0]
    # No injected elements or event handlers.
    assert not [t for t, _ in parsed.tags if t in ("img", "b", "iframe", "object", "embed")]
    for _, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], attrs
    # The hostile strings survive as text, verbatim.
    text = "".join(parsed.text)
    for s in (HOSTILE, HOSTILE_FRAME, HOSTILE_SDK):
        assert s in text
    assert "bell\\x07nul\\x00esc\\x1b]]>end" in text
    assert "\x00" not in page and "\x1b" not in page
    # Stack frames of the evidence call are on demand, inside <details>.
    assert re.search(r"<details><summary[^>]*>[^<]*</summary><pre>[^<]*&lt;/script&gt;", page)


def test_hostile_trace_path_in_result_is_not_followed(tmp_path: Path) -> None:
    summary = hostile_summary()  # trace="../../../etc/passwd"
    _render(tmp_path, summary)
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(f.startswith("run/") for f in files)
    written = RunSummary.model_validate_json((tmp_path / "run/summary.json").read_text())
    assert written.scenarios[0].trace is None


def test_self_contained_with_csp_pinning_the_only_script(tmp_path: Path, traces) -> None:
    page = _render(tmp_path, make_summary(), traces)
    parsed = _parse(page)
    assert not [t for t, _ in parsed.tags if t == "link"]
    for _, attrs in parsed.tags:
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert not re.match(r"^(https?:)?//", value), value
    (csp,) = [
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None and "default-src 'none'" in csp
    want = base64.b64encode(hashlib.sha256(parsed.scripts[0].encode()).digest()).decode()
    assert f"'sha256-{want}'" in csp


def test_verdict_table_flags_expectation_mismatch(tmp_path: Path, traces) -> None:
    page = _render(tmp_path, make_summary(), traces)
    row = re.search(
        r'<tr class="problem"><td><a href="#s5">News app — regression</a>.*?</tr>', page
    )
    assert row is not None
    assert 'class="mismatch"' in row.group(0) and "expected pass" in row.group(0)
    met = re.search(r'<tr class="ok"><td><a href="#s2">News app — refuse</a>.*?</tr>', page)
    assert met is not None and "<td>met</td>" in met.group(0)


def test_timeline_and_sdk_breakdown_come_from_the_trace(tmp_path: Path, traces) -> None:
    page = _render(tmp_path, make_summary(), traces)
    section = page.split('id="s1"')[1].split("<section")[0]
    assert "<svg" in section and "0 = consent granted" in section
    assert "device_id: 1 call, -1.80 s" in section
    assert "<h3>SDK breakdown</h3>" in section
    assert re.search(r"<td class=\"mono\">com\.example\.analytics</td>", section)


def test_screenshots_are_linked_relatively(tmp_path: Path, summary, traces) -> None:
    folder = RunFolder(tmp_path / "run")
    sdir = folder.scenario_dir(summary.scenarios[0].scenario, file=summary.scenarios[0].file)
    (sdir / "dialog.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    write_reports(folder, summary, traces, created_at="T")
    page = (tmp_path / "run/report.html").read_text()
    assert '<img src="scenarios/news-app-agree/dialog.png"' in page
    assert "first-violation.png" not in page


def test_unreadable_trace_still_renders(tmp_path: Path, summary) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "header", "nonsense": <script>}\n')
    page = _render(tmp_path, summary, {"News app — agree": bad})
    assert "trace unreadable" in page
    assert "<script>}" not in page


@pytest.mark.parametrize("calls", [100_000])
def test_huge_trace_renders_a_small_page(tmp_path: Path, summary, calls: int) -> None:
    path = tmp_path / "big.jsonl"
    cats = ["device_id", "location", "clipboard", "network_id"]
    with path.open("w") as fh:
        head = (
            '{"kind":"header","format_version":1,"created_at":"T","harness_version":"t",'
            '"app":{"package":"com.example.news"},"catalog_hash":"h"}\n'
        )
        fh.write(head)
        fh.write(
            f'{{"kind":"marker","marker":"consent_granted","ts":{BASE + 50_000},'
            '"source":"agent"}\n'
        )
        for i in range(calls):
            fh.write(
                f'{{"kind":"call","seq":{i},"ts":{BASE + i},"pid":1,"tid":1,"thread":"t",'
                f'"api":"a.b","category":"{cats[i % 4]}",'
                f'"stack":["android.x.Y.z(Y.java:1)","com.sdk{i % 300}.lib.C.m(C.java:2)"]}}\n'
            )
    page = _render(tmp_path, summary, {"News app — agree": path})
    assert len(page.encode()) < 250_000
    assert page.count("<rect") < 4 * 120 + 50
    assert f"{calls} calls in 120 buckets" in page
    assert "smaller SDKs folded into one row" in page
