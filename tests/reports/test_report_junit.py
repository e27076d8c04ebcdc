"""junit.xml: well-formed, schema-shaped, counts right, messages a CI user can act on."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.model import RunSummary, Verdict
from harness.reports.junit import classname, render_junit
from tests.reports.conftest import HOSTILE, HOSTILE_CTRL, hostile_summary, make_summary

ALLOWED_CASE_CHILDREN = {"failure", "error", "skipped", "system-out", "system-err", "properties"}


def _parse(summary: RunSummary) -> ET.Element:
    return ET.fromstring(render_junit(summary))


def _cases(root: ET.Element) -> dict[str, ET.Element]:
    return {c.get("name", ""): c for c in root.iter("testcase")}


def test_structure_and_counts_match_the_testcases() -> None:
    root = _parse(make_summary())
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    cases = suite.findall("testcase")
    assert len(cases) == 5
    for case in cases:
        assert case.get("classname") and case.get("name") and case.get("time") is not None
        assert {child.tag for child in case} <= ALLOWED_CASE_CHILDREN
        assert len([c for c in case if c.tag in ("failure", "error", "skipped")]) <= 1
    tally = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    assert tally == {"tests": 5, "failures": 2, "errors": 1, "skipped": 1}
    for element in (root, suite):
        for key, value in tally.items():
            assert element.get(key) == str(value)
    assert float(suite.get("time", "0")) == 12.5 + 8.0 + 16.0 + 3.0


def test_violation_failure_lists_rules_and_top_evidence_not_a_traceback() -> None:
    case = _cases(_parse(make_summary()))["News app — agree"]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "violation"
    assert "7.2/pre-consent-collection" in failure.get("message", "")
    body = failure.text or ""
    assert (
        "#0 pre_consent -1800 ms telephony.imei [device_id] sdk=ExampleAnalytics "
        "frame=com.example.analytics.Tracker.collect(Tracker.java:10)" in body
    )
    assert "and 5 more call(s)" in body  # evidence_count 7, 2 shown
    assert "Traceback" not in render_junit(make_summary()).decode()


def test_expectation_met_passes_even_though_an_article_fails() -> None:
    case = _cases(_parse(make_summary()))["News app — refuse"]
    assert [c.tag for c in case] == ["system-out"]


def test_expectation_mismatch_is_a_failure_naming_the_article() -> None:
    case = _cases(_parse(make_summary()))["News app — regression"]
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "expectation"
    assert failure.get("message") == "7.4: expected pass, got fail"


def test_expectation_mismatch_is_computed_when_runner_left_it_empty() -> None:
    summary = make_summary()
    regress = summary.scenarios[4]
    assert regress.mismatches == []  # the factory leaves it to the report
    regress.expect = {"7.4": Verdict.FAIL, "7.2": Verdict.PASS}
    case = _cases(_parse(summary))["News app — regression"]
    assert case.find("failure") is None


def test_inconclusive_is_skipped_with_the_reason() -> None:
    skipped = _cases(_parse(make_summary()))["Maps — no dialog"].find("skipped")
    assert skipped is not None
    assert "no consent dialog found" in skipped.get("message", "")


def test_error_verdict_is_an_error_element() -> None:
    error = _cases(_parse(make_summary()))["Crashy — device lost"].find("error")
    assert error is not None
    assert "device lost" in error.get("message", "")


def test_classname_comes_from_the_scenario_file() -> None:
    s = make_summary().scenarios
    assert classname(s[0]) == "scenarios.news.agree"
    assert classname(s[3]) == "consent-harness"  # no file


def test_hostile_strings_stay_well_formed_and_round_trip() -> None:
    raw = render_junit(hostile_summary())
    root = ET.fromstring(raw)  # raises if control characters leaked through
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == HOSTILE
    assert case.get("classname") == "<b>x<.b>"  # ".." parts dropped, "/" -> "."
    failure = case.find("failure")
    assert failure is not None
    body = failure.text or ""
    assert "bell\\x07nul\\x00esc\\x1b]]>end" in body  # shown, not emitted raw
    assert b"<script>" not in raw
    assert HOSTILE_CTRL not in raw.decode()


def test_rule_keyed_and_unknown_expectations_are_checked() -> None:
    summary = make_summary()
    refuse = summary.scenarios[1]
    refuse.expect = {"7.2/post-refusal-collection": Verdict.FAIL}
    assert _cases(_parse(summary))["News app — refuse"].find("failure") is None
    refuse.expect = {"7.9": Verdict.PASS}  # a typo must not pass silently
    failure = _cases(_parse(summary))["News app — refuse"].find("failure")
    assert failure is not None
    assert "no such article or rule" in failure.get("message", "")
