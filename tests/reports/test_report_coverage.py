"""Hook coverage per scenario, the rules it weakened, and the run-level SDK × phase matrix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.model import Marker, MarkerKind, TraceEnd
from harness.reports import write_reports
from harness.reports.coverage import HookCoverage, weakened_rules
from harness.reports.digest import digest_trace
from tests.reports.conftest import (
    HOOKS_READY_DETAIL,
    agree_trace,
    header,
    make_summary,
    write_trace,
)


def _section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"')[1].split("<section")[0]


def test_coverage_counts_merge_processes_and_map_categories(tmp_path: Path) -> None:
    push = {"installed": 5, "failed": ["telephony.imei"], "absent": ["oaid.msa"],
            "pid": 4243, "process": "com.example.news:push"}
    records = [
        *agree_trace()[:3],
        Marker(marker=MarkerKind.HOOKS_READY, ts=1.0, source="agent", detail=push),
        *agree_trace()[3:],
    ]
    d = digest_trace(write_trace(tmp_path / "t.jsonl", records))
    cov = d.coverage
    assert cov.markers == 2 and cov.installed == 212
    assert cov.processes == {4243: "com.example.news:push"}
    assert cov.ids("failed") == ["location.gnss_status", "telephony.imei"]
    assert cov.ids("late") == ["accounts.all"] and cov.late["accounts.all"]
    assert cov.ids("absent") == ["gms.ad_id", "oaid.msa"]
    assert cov.ids("skipped") == ["telephony.device_id"]
    table = {None if c is None else c.value: dict(n) for c, n in cov.by_category().items()}
    assert table["location"] == {"failed": 1}
    assert table["device_id"] == {"failed": 1, "absent": 2, "skipped": 1}
    assert table["accounts"] == {"late": 1}


def test_weakened_rules_follow_what_each_rule_watches() -> None:
    cov = HookCoverage()
    cov.add({"installed": 3, "failed": [{"id": "camera.open", "error": "x"}],
             "late": ["settings.secure.android_id"]})
    rules = ["7.2/pre-consent-collection", "7.4/permission-before-consent",
             "7.4/sensitive-before-consent", "9.9/not-a-rule-yet"]
    weak = {(w.rule, w.kind) for w in weakened_rules(cov, rules, header())}
    assert ("7.2/pre-consent-collection", "failed") in weak
    assert ("7.2/pre-consent-collection", "late") in weak
    assert ("7.4/sensitive-before-consent", "failed") in weak  # camera is a named capability
    assert ("7.4/sensitive-before-consent", "late") not in weak  # ANDROID_ID is not
    assert not {r for r, _ in weak} & {"7.4/permission-before-consent", "9.9/not-a-rule-yet"}
    # an id this catalog does not know counts against every rule, as in scoring
    unknown = HookCoverage()
    unknown.add({"failed": ["vendor.thing"]})
    got = {w.rule for w in weakened_rules(unknown, rules, header())}
    assert got == set(rules) - {"9.9/not-a-rule-yet"}


@pytest.mark.usefixtures("stable_attribution")
def test_report_shows_coverage_and_what_it_weakened(tmp_path: Path, traces) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, lang="en", salt=b"s")
    page = (tmp_path / "run/report.html").read_text(encoding="utf-8")
    agree = _section(page, "s1")
    assert "<h3>Hook coverage</h3>" in agree
    assert "installed: 212 · failed: 1 · late: 1 · absent: 2 · skipped: 1" in agree
    assert "location.gnss_status — method not found: x.y" in agree
    assert re.search(r"7\.2/pre-consent-collection: hooks failed to install \(location", agree)
    assert "7.4/sensitive-before-consent: hooks failed to install (location.gnss_status)" in agree
    refuse = _section(page, "s2")  # its trace has no hooks_ready marker: say so
    assert "no hooks_ready marker in the trace" in refuse
    assert HOOKS_READY_DETAIL["installed"] == 212


@pytest.mark.usefixtures("stable_attribution")
def test_run_matrix_sums_sdks_over_scenarios(tmp_path: Path, traces) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, lang="en", salt=b"s")
    page = (tmp_path / "run/report.html").read_text(encoding="utf-8")
    matrix = page.split('id="matrix"')[1].split("</section>")[0]
    rows = re.findall(r"<tr><td class=\"mono\">([^<]+)</td>(.*?)</tr>", matrix)
    assert rows[0][0] == "com.example.analytics"  # the most pre-consent calls first
    # 2 pre-consent calls over 2 scenarios
    assert '<td class="n flag">2 (2)</td>' in rows[0][1]
    names = [r[0] for r in rows]
    assert "com.example.ads" in names and "app" in names
    # the matrix comes before the first scenario
    assert page.index('id="matrix"') < page.index('id="s1"')


def test_trace_without_calls_has_an_empty_matrix(tmp_path: Path) -> None:
    summary = make_summary()
    trace = write_trace(tmp_path / "t.jsonl", [header(), TraceEnd(ts=1.0, reason="completed")])
    write_reports(tmp_path / "run", summary, {summary.scenarios[0].scenario: trace}, lang="en")
    page = (tmp_path / "run/report.html").read_text(encoding="utf-8")
    assert "no sensitive calls in this run" in page
