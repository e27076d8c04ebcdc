"""The pytest plugin: scenario files become items located at their file and line; a
failure shows violated rules and evidence, not a traceback."""

from __future__ import annotations

import pytest

from tests.e2e_support import require

pytest_plugins = ["pytester"]

SUITE = """\
name: news agree meets its expectation
app: com.example.news
steps: [{wait_for_consent: {timeout: 10}}, agree, {observe: 1}]
expect: {"7.2/pre-consent-collection": fail}
---
name: news agree wrongly expected clean
app: com.example.news
steps: [{wait_for_consent: {timeout: 10}}, agree, {observe: 1}]
expect: {"7.2": pass}
"""


def test_collects_one_item_per_scenario_at_its_line(pytester: pytest.Pytester) -> None:
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "news.yaml").write_text(SUITE, "utf-8")
    (pytester.path / "scenarios" / "notes.yaml").write_text("just: data\n", "utf-8")
    result = pytester.runpytest_subprocess("--collect-only", "-q", "scenarios")
    result.stdout.fnmatch_lines([
        "scenarios/news.yaml::news agree meets its expectation",
        "scenarios/news.yaml::news agree wrongly expected clean",
        "2 tests collected*",
    ])


def test_malformed_scenario_is_a_collection_error_naming_the_line(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "bad.yaml").write_text(
        "name: x\napp: com.example.news\nsteps:\n  - agre\n", "utf-8")
    result = pytester.runpytest_subprocess("scenarios")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*bad.yaml:4*agre*"])
    assert "Traceback" not in result.stdout.str()


def test_runs_on_the_simulated_device_and_explains_failures(pytester: pytest.Pytester) -> None:
    try:
        import frida  # noqa: F401
    except ImportError as exc:
        require("frida", str(exc))
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "news.yaml").write_text(SUITE, "utf-8")
    report = pytester.path / "report"
    result = pytester.runpytest_subprocess("scenarios", "--ch-report", str(report), "-p",
                                           "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "expectation not met: 7.2: expected pass, got fail" in out
    assert "7.2/pre-consent-collection [7.2] fail" in out
    assert "settings.secure.android_id" in out  # the evidence, with its API…
    assert "sdk=Example Analytics" in out  # …and the SDK the stack points to
    assert "Traceback" not in out
    assert (report / "report.html").is_file() and (report / "manifest.json").is_file()
