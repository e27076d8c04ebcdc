"""The page in a real headless Chromium: it renders, logs no console message, runs no
hostile text; the PDF holds every scenario; without a browser the run says so.

Skips locally when no Chromium is installed; fails on CI (``CI=true``), where ``.ci/run``
installs one (``apt-get install -y chromium``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.model import AppInfo, CallEvent, Category, Marker, MarkerKind, TraceEnd
from harness.model.trace import ScenarioRef
from harness.reports import find_chromium, verify_manifest, write_reports
from harness.reports.pdf import CHROMIUM_ENV, run_chromium
from tests.e2e_support import require
from tests.reports.conftest import BASE, header, make_summary, marker, write_trace

#: Each would change the page if it ran: the DOM dump shows whether it did.
PWN_IMG = "<img src=x onerror=\"document.title='PWNED';alert(1)\">"
PWN_SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','1')</script>"
PWN_SVG = "<svg onload=\"document.documentElement.setAttribute('data-pwned','2')\"></svg>"
PWN_ATTR = "\" autofocus onfocus=\"document.title='PWNED'"


@pytest.fixture
def chromium() -> str:
    found = find_chromium()
    if found is None:
        require("a headless Chromium", "the report is tested in a real browser")
    assert found is not None
    return found


def _hostile_folder(tmp_path: Path, lang: str, **kw: object) -> Path:
    evil = f"{PWN_IMG}{PWN_SCRIPT}{PWN_SVG}{PWN_ATTR}"
    records = [
        header(
            device={"model": evil, "serial": "emulator-5554"},
            app=AppInfo(package="com.example.news", version_name=evil),
            scenario=ScenarioRef(name="News app — agree"),
        ),
        marker(MarkerKind.LAUNCHED, 0),
        Marker(marker=MarkerKind.HOOKS_READY, ts=BASE + 1, source="agent", seq=0,
               detail={"installed": 3, "failed": [{"id": evil, "error": evil}]}),
        Marker(marker=MarkerKind.CONSENT_SHOWN, ts=BASE + 5, source="agent",
               detail={"texts": [evil, "隐私政策", "同意"]}),
        CallEvent(seq=1, ts=BASE + 10, pid=1, tid=1, thread=evil, api="telephony.imei",
                  category=Category.DEVICE_ID, args=[evil], ret=evil,
                  stack=[f"{evil}.run(E.java:1)", "com.example.ads.A.b(A.java:2)"]),
        marker(MarkerKind.CONSENT_GRANTED, 2000),
        TraceEnd(ts=BASE + 3000, reason="completed", message=evil),
    ]
    trace = write_trace(tmp_path / "h.jsonl", records)
    summary = make_summary()
    first = summary.scenarios[0].model_copy(update={"error": evil})
    summary = summary.model_copy(update={"scenarios": [first, *summary.scenarios[1:]]})
    out = tmp_path / f"run-{lang}"
    write_reports(out, summary, {first.scenario: trace}, lang=lang, salt=b"s", **kw)  # type: ignore[arg-type]
    return out


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_in_chromium_is_quiet_and_inert(tmp_path: Path, chromium: str, lang: str) -> None:
    folder = _hostile_folder(tmp_path, lang)
    page = (folder / "report.html").resolve().as_uri()
    done = run_chromium(["--enable-logging=stderr", "--v=0", "--dump-dom", page],
                        binary=chromium)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, "console messages (CSP violations, script errors):\n" + "\n".join(console)
    dom = _Dom()
    dom.feed(done.stdout)
    (root,) = [attrs for tag, attrs in dom.tags if tag == "html"]
    assert root.get("data-js") == "ok", "our own script did not run"
    assert "data-pwned" not in root
    assert "PWNED" not in dom.title
    assert root.get("lang") == ("zh-CN" if lang == "zh" else "en")
    for tag, attrs in dom.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert tag not in ("img", "iframe", "object", "embed") or tag == "img" and not attrs.get(
            "onerror"
        )
    assert [t for t, _ in dom.tags].count("script") == 1
    assert PWN_IMG in done.stdout.replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"').replace("&amp;", "&")  # shown as text, verbatim


def test_screenshot(tmp_path: Path, chromium: str) -> None:
    folder = _hostile_folder(tmp_path, "zh")
    shot = tmp_path / "page.png"
    done = run_chromium(
        ["--window-size=1200,2400", "--hide-scrollbars", f"--screenshot={shot}",
         (folder / "report.html").resolve().as_uri()],
        binary=chromium,
    )
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000


def test_pdf_holds_every_scenario_and_is_sealed(tmp_path: Path, chromium: str) -> None:
    folder = _hostile_folder(tmp_path, "zh", pdf=True)
    pdf = folder / "report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    # the print stylesheet starts each scenario on a new page, after the overview
    assert pages >= 1 + len(make_summary().scenarios)
    assert not (folder / ".report-print.html").exists()
    assert not verify_manifest(folder)
    assert "report.pdf" in (folder / "manifest.json").read_text()


def test_pdf_without_a_browser_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    summary = make_summary()
    written = write_reports(tmp_path / "run", summary, lang="en", pdf=True)
    assert written.pdf is None
    assert written.pdf_error is not None and "no headless Chromium found" in written.pdf_error
    assert "apt-get install chromium" in written.pdf_error
    assert not (tmp_path / "run/report.pdf").exists()
    assert not verify_manifest(tmp_path / "run")  # the rest is written and sealed


def test_print_variant_opens_every_details(tmp_path: Path, traces) -> None:
    from harness.reports.html_report import ScenarioView, render_html, scenario_anchor

    summary = make_summary()
    views = [ScenarioView(result=r, anchor=scenario_anchor(i))
             for i, r in enumerate(summary.scenarios)]
    page = render_html(summary, views, print_mode=True)
    assert "<details>" not in page and "<details open>" in page
    screen = render_html(summary, views)
    assert "<details open>" not in screen
    assert "@media print" in screen and "beforeprint" in screen


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_printing_the_page_expands_every_stack(tmp_path: Path, chromium: str) -> None:
    """A reviewer printing report.html from the browser gets what report.pdf shows: the
    collapsed evidence and its 60-frame stacks, expanded (beforeprint handler + print CSS)."""
    from harness.model import Phase, Verdict
    from tests.reports.conftest import evidence, rule

    frames = [f"com.example.ads.L{i}.m{i}(L{i}.java:{i})" for i in range(60)]
    records = [header(), marker(MarkerKind.LAUNCHED, 0)]
    records += [
        CallEvent(seq=i, ts=BASE + 10 + i, pid=1, tid=1, thread="main", api="telephony.imei",
                  category=Category.DEVICE_ID, stack=frames)
        for i in range(20)
    ]
    records += [marker(MarkerKind.CONSENT_GRANTED, 2000), TraceEnd(ts=BASE + 3000,
                                                                   reason="completed")]
    trace = write_trace(tmp_path / "t.jsonl", records)
    evs = [evidence(i, 10 + i, "telephony.imei", Category.DEVICE_ID, Phase.PRE_CONSENT,
                    "ExampleAds", frames[0], -1990.0 + i) for i in range(20)]
    summary = make_summary()
    first = summary.scenarios[0].model_copy(update={"rules": [
        rule("7.2/pre-consent-collection", Verdict.FAIL, "20 calls", evs)]})
    summary = summary.model_copy(update={"scenarios": [first]})
    folder = tmp_path / "run"
    written = write_reports(folder, summary, {first.scenario: trace}, lang="en", pdf=True)
    assert written.pdf is not None, written.pdf_error
    printed = tmp_path / "printed.pdf"
    run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={printed}",
                  (folder / "report.html").resolve().as_uri()], binary=chromium)
    # 20 stacks of 60 frames fill many pages when expanded, a fraction of one collapsed
    assert _pages(written.pdf) >= 10
    assert _pages(printed) == _pages(written.pdf)
