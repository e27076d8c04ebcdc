"""The pytest plugin: scenario files become items located at their file and line; a
failure shows violated rules and evidence, not a traceback."""

from __future__ import annotations

from pathlib import Path

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
        "scenarios/news.yaml::news-agree-meets-its-expectation",
        "scenarios/news.yaml::news-agree-wrongly-expected-clean",
        "2 tests collected*",
    ])


def test_ids_are_easy_to_type_and_flow_files_are_not_collected(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / "scenarios" / "flows").mkdir(parents=True)
    (pytester.path / "scenarios" / "flows" / "agree.flow.yaml").write_text(
        "steps:\n  - wait_for_consent\n  - agree\n", "utf-8")
    (pytester.path / "scenarios" / "news.yaml").write_text(
        "name: News — refuse, then agree (v2)\napp: com.example.news\n"
        "steps: [refuse, {run_flow: flows/agree.flow.yaml}]\n", "utf-8")
    result = pytester.runpytest_subprocess("--collect-only", "-q", "scenarios")
    result.stdout.fnmatch_lines(["scenarios/news.yaml::news-refuse-then-agree-v2",
                                 "1 test collected*"])
    assert "flow.yaml" not in result.stdout.str()


def test_run_folders_copies_of_scenarios_are_not_collected(pytester: pytest.Pytester) -> None:
    """A report folder keeps each scenario it ran (evidence): `pytest .` after a run must
    not run those copies again."""
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "news.yaml").write_text(SUITE, "utf-8")
    for folder in ("consent-harness-report/scenarios/news-agree", "out/scenarios/news-agree"):
        (pytester.path / folder).mkdir(parents=True)
        (pytester.path / folder / "scenario.yaml").write_text(SUITE, "utf-8")
    (pytester.path / "out" / "manifest.json").write_text("{}", "utf-8")
    result = pytester.runpytest_subprocess("--collect-only", "-q", ".")
    result.stdout.fnmatch_lines(["scenarios/news.yaml::news-agree-meets-its-expectation",
                                 "*2 tests collected*"])
    assert "scenario.yaml" not in result.stdout.str()


def test_scenarios_are_selected_by_their_name_too(pytester: pytest.Pytester) -> None:
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "news.yaml").write_text(SUITE, "utf-8")
    result = pytester.runpytest_subprocess(
        "--collect-only", "-q", "scenarios", "-k", "wrongly and not meets")
    result.stdout.fnmatch_lines(["scenarios/news.yaml::news-agree-wrongly-expected-clean",
                                 "*1/2 tests collected*"])


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
    # where to look, in the summary (relative to the working directory)
    assert "consent-harness run folder: report  (2 scenarios:" in out


def test_sigterm_under_pytest_closes_the_trace_and_exits_130(tmp_path: Path) -> None:
    """Ctrl-C / SIGTERM under pytest: the running scenario's trace ends `interrupted`,
    the report of what ran is written and marked, the session exits 130."""
    import json
    import signal
    import subprocess
    import sys
    import threading

    try:
        import frida  # noqa: F401
    except ImportError as exc:
        require("frida", str(exc))
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "long.yaml").write_text(
        "name: long observe\napp: com.example.compliant\nsteps: [{observe: 120}]\n", "utf-8")
    report = tmp_path / "report"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s", "scenarios",
         "--ch-report", str(report)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = threading.Event()
    lines: list[str] = []

    def follow() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
    threading.Thread(target=follow, daemon=True).start()
    try:
        # the trace file exists once the app runs with its hooks in
        import time

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not started.is_set():
            if list(report.rglob("trace.jsonl")):
                started.set()
            else:
                time.sleep(0.2)
        assert started.is_set(), "".join(lines[-20:])
        proc.send_signal(signal.SIGTERM)
        proc.wait(180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 130, "".join(lines[-30:])
    (trace,) = report.rglob("trace.jsonl")
    last = json.loads(trace.read_text("utf-8").splitlines()[-1])
    assert last["kind"] == "end" and last["reason"] == "interrupted"
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["interrupted"] is True
    assert [s["verdict"] for s in summary["scenarios"]] == ["error"]


def test_sim_n_needs_xdist_and_agrees_with_n(pytester: pytest.Pytester) -> None:
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "news.yaml").write_text(SUITE, "utf-8")
    no_xdist = pytester.runpytest_subprocess("scenarios", "--sim", "2", "-p", "no:xdist")
    assert no_xdist.ret == pytest.ExitCode.USAGE_ERROR
    err = no_xdist.stderr.str()  # (fnmatch would read [pytest] as a character class)
    assert "--sim 2 runs 2 devices at once through pytest-xdist" in err
    assert "pip install 'consent-harness[pytest]'" in err
    clash = pytester.runpytest_subprocess("scenarios", "--sim", "2", "-n", "3")
    assert clash.ret == pytest.ExitCode.USAGE_ERROR
    clash.stderr.fnmatch_lines(["*--sim 2 with -n 3: each xdist worker drives one simulated "
                                "device*"])


def _two_apps(pytester: pytest.Pytester) -> None:
    (pytester.path / "scenarios" / "flows").mkdir(parents=True)
    (pytester.path / "scenarios" / "flows" / "agree.flow.yaml").write_text(
        "steps: [{wait_for_consent: {timeout: 15}}, agree, {observe: 1}]\n", "utf-8")
    (pytester.path / "scenarios" / "apps.yaml").write_text(
        "name: news agree\napp: com.example.news\nsteps: [{run_flow: flows/agree.flow.yaml}]\n"
        'expect: {"7.2/pre-consent-collection": fail}\n---\n'
        "name: compliant agree\napp: com.example.compliant\n"
        "steps: [{run_flow: flows/agree.flow.yaml}]\n", "utf-8")


def _one_merged_run(folder: Path) -> dict[str, object]:
    import json
    import subprocess
    import sys

    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert sorted(s["scenario"] for s in summary["scenarios"]) == ["compliant agree",
                                                                    "news agree"]
    assert len({s["device"] for s in summary["scenarios"]}) == 2  # two devices, one folder
    assert sorted(p.name for p in (folder / "scenarios").iterdir()) == [
        "compliant-agree", "news-agree"]
    assert all((folder / "scenarios" / d / "trace.jsonl").is_file()
               for d in ("compliant-agree", "news-agree"))
    assert (folder / "junit.xml").read_text("utf-8").count("<testcase") == 2
    assert (folder / "report.html").is_file()
    assert not [p for p in folder.iterdir() if p.name.startswith("gw")]
    verify = subprocess.run([sys.executable, "-m", "harness.cli.main", "verify", str(folder)],
                            capture_output=True, text=True, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    return summary


def test_sim_2_runs_two_devices_into_one_default_folder(pytester: pytest.Pytester) -> None:
    """`pytest --sim 2` (no -n): two simulated devices, one run folder in the working
    directory (not a new /tmp folder per run), named in the summary."""
    try:
        import frida  # noqa: F401
    except ImportError as exc:
        require("frida", str(exc))
    _two_apps(pytester)
    result = pytester.runpytest_subprocess("scenarios", "--sim", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "*2 workers*",
        "consent-harness run folder: consent-harness-report  (2 scenarios on 2 devices:*",
        "*the default folder, replaced by the next run; --ch-report DIR puts it elsewhere*",
    ])
    _one_merged_run(pytester.path / "consent-harness-report")


def test_xdist_with_ch_report_writes_one_merged_run(pytester: pytest.Pytester) -> None:
    """`pytest -n 2 --sim 2 --ch-report DIR`: the workers' results merged by the
    controller into DIR — one summary, one report, one JUnit, a sealed manifest."""
    try:
        import frida  # noqa: F401
    except ImportError as exc:
        require("frida", str(exc))
    _two_apps(pytester)
    report = pytester.path / "out"
    result = pytester.runpytest_subprocess("-n", "2", "scenarios", "--sim", "2",
                                           "--ch-report", str(report), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["consent-harness run folder: out  (2 scenarios on 2 devices:*"])
    assert "the default folder" not in result.stdout.str()
    _one_merged_run(report)
