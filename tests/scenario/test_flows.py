# ruff: noqa: E501  (the error table reads best one case per line)
"""run_flow: a flow file's steps put in place at load time, each at its own file and line;
missing flows, cycles and malformed flow files are errors naming file, line and field."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.errors import ScenarioError
from harness.scenario import (
    MAX_FLOW_DEPTH,
    STEP_TYPES,
    AgreeStep,
    ObserveStep,
    TapStep,
    WaitForConsentStep,
    WithdrawStep,
    check_paths,
    flow_json_schema,
    load_scenarios,
    scenario_files,
    scenario_json_schema,
)

HEAD = "name: n\napp: com.example.news\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def _errors(path: Path) -> list[str]:
    return [str(e) for report in check_paths([path]) for e in report.errors]


def test_flow_steps_take_the_place_of_run_flow_with_their_own_lines(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "s.yaml": HEAD + "steps:\n"
                         "  - run_flow: flows/consent.flow.yaml\n"        # line 4
                         "  - observe: 2\n"                               # line 5
                         "  - withdraw:\n"
                         "      - run_flow: flows/withdraw.flow.yaml\n",
        "flows/consent.flow.yaml": "name: agree\nsteps:\n  - wait_for_consent\n  - agree\n",
        "flows/withdraw.flow.yaml": "steps:\n  - tap: {text: 设置}\n  - run_flow: ../inner.flow.yaml\n",
        "inner.flow.yaml": "steps: [{tap: {text: 撤回}}]\n",
    })
    [s] = load_scenarios(tmp_path / "s.yaml")
    steps = s.iter_steps()
    assert [type(x) for x in steps] == [WaitForConsentStep, AgreeStep, ObserveStep, WithdrawStep,
                                        TapStep, TapStep]
    assert [x.where for x in steps] == [
        f"{tmp_path}/flows/consent.flow.yaml:3", f"{tmp_path}/flows/consent.flow.yaml:4",
        "line 5", "line 6",
        f"{tmp_path}/flows/withdraw.flow.yaml:2", f"{tmp_path}/inner.flow.yaml:1",
    ]
    assert steps[2].flow_file is None and steps[0].flow_file == tmp_path / "flows/consent.flow.yaml"
    assert s.needs_consent_dialog()  # the flow's wait_for_consent counts
    assert s.flow_files == tuple(tmp_path / n for n in (
        "flows/consent.flow.yaml", "flows/withdraw.flow.yaml", "inner.flow.yaml"))


def test_a_flow_used_twice_gives_fresh_steps(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "s.yaml": HEAD + "steps:\n  - run_flow: a.flow.yaml\n  - run_flow: {file: a.flow.yaml}\n",
        "a.flow.yaml": "steps: [agree]\n",
    })
    [s] = load_scenarios(tmp_path / "s.yaml")
    assert len(s.steps) == 2 and s.steps[0] is not s.steps[1]


def test_folders_skip_flow_files_and_a_flow_file_is_not_a_scenario(tmp_path: Path) -> None:
    _tree(tmp_path, {"s.yaml": HEAD + "steps: [{run_flow: f/a.flow.yaml}]\n",
                     "f/a.flow.yaml": "steps: [agree]\n", "f/b.flow.yml": "steps: [agree]\n"})
    assert scenario_files(tmp_path) == [tmp_path / "s.yaml"]
    assert [s.name for s in load_scenarios(tmp_path)] == ["n"]
    with pytest.raises(ScenarioError, match="a flow file holds steps, not a scenario"):
        load_scenarios(tmp_path / "f" / "a.flow.yaml")


# (files, the error expected: file, line, field, words)
ERROR_CASES: list[tuple[dict[str, str], str]] = [
    ({"s.yaml": HEAD + "steps:\n  - agree\n  - run_flow: flows/nope.flow.yaml\n"},
     "s.yaml:5: steps[1].run_flow: flow file not found: {tmp}/flows/nope.flow.yaml"),
    ({"s.yaml": HEAD + "steps: [{run_flow: login.yaml}]\n"},
     "s.yaml:3: steps[0].run_flow: flow files are named *.flow.yaml"),
    ({"s.yaml": HEAD + "steps: [run_flow]\n"}, "s.yaml:3: steps[0]: step 'run_flow' needs a value"),
    ({"s.yaml": HEAD + "steps: [{run_flow: {file: a.flow.yaml, when: x}}]\n", "a.flow.yaml": "steps: [agree]\n"},
     "s.yaml:3: steps[0].run_flow.when: unknown field 'when'"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "- agree\n"},
     "a.flow.yaml:1: a flow file is a mapping with steps (and an optional name)"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "name: x\napp: com.example.news\nsteps: [agree]\n"},
     "a.flow.yaml:2: app: unknown field 'app'; expected one of: name, steps; a flow has no header"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "stpes: [agree]\n"},
     "a.flow.yaml:1: stpes: unknown field 'stpes' (did you mean 'steps'?)"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "steps:\n  - agree\n  - tap: {txt: x}\n"},
     "a.flow.yaml:3: steps[1].tap.txt: unknown field 'txt' (did you mean 'text'?); expected one of: text, resource_id, point, timeout (in the flow run from {tmp}/s.yaml:3)"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "steps: [agree]\n---\nsteps: [refuse]\n"},
     "a.flow.yaml:3: a flow file holds one flow"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "steps: [agree\n"},
     "a.flow.yaml:1: invalid YAML: the list opened here by '[' is never closed"),
    ({"s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n", "a.flow.yaml": "steps: []\n"},
     "a.flow.yaml:1: steps: the list should have at least 1 item"),
]


@pytest.mark.parametrize("files, expected", ERROR_CASES)
def test_errors_name_the_file_line_and_field(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    _tree(tmp_path, files)
    errors = _errors(tmp_path / "s.yaml")
    wanted = f"{tmp_path}/" + expected.replace("{tmp}", str(tmp_path))
    assert any(e.startswith(wanted) for e in errors), errors
    with pytest.raises(ScenarioError):  # `run` refuses it too, before any device
        load_scenarios(tmp_path / "s.yaml")


def test_a_cycle_is_an_error_naming_the_chain(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "s.yaml": HEAD + "steps:\n  - agree\n  - run_flow: flows/a.flow.yaml\n",
        "flows/a.flow.yaml": "steps: [{run_flow: b.flow.yaml}]\n",
        "flows/b.flow.yaml": "name: b\nsteps:\n  - observe: 1\n  - run_flow: a.flow.yaml\n",
        "self.flow.yaml": "steps: [{run_flow: self.flow.yaml}]\n",
    })
    t = str(tmp_path)
    assert _errors(tmp_path / "s.yaml") == [
        f"{t}/flows/b.flow.yaml:4: steps[1].run_flow: flow cycle (a flow runs itself): "
        f"{t}/s.yaml:5 → {t}/flows/a.flow.yaml:1 → {t}/flows/b.flow.yaml:4 → {t}/flows/a.flow.yaml"
    ]
    # a flow checked on its own (`validate self.flow.yaml`) that runs itself
    assert _errors(tmp_path / "self.flow.yaml") == [
        f"{t}/self.flow.yaml:1: steps[0].run_flow: flow cycle (a flow runs itself): "
        f"{t}/self.flow.yaml:1 → {t}/self.flow.yaml"
    ]


def test_flows_nest_to_a_small_depth(tmp_path: Path) -> None:
    files = {"s.yaml": HEAD + "steps: [{run_flow: d1.flow.yaml}]\n"}
    for i in range(1, MAX_FLOW_DEPTH + 2):
        files[f"d{i}.flow.yaml"] = f"steps: [agree, {{run_flow: d{i + 1}.flow.yaml}}]\n"
    files[f"d{MAX_FLOW_DEPTH + 2}.flow.yaml"] = "steps: [refuse]\n"
    _tree(tmp_path, files)
    [error] = _errors(tmp_path / "s.yaml")
    assert error.startswith(f"{tmp_path}/d{MAX_FLOW_DEPTH}.flow.yaml:1: steps[1].run_flow: "
                            f"flows nested deeper than {MAX_FLOW_DEPTH} levels: {tmp_path}/s.yaml:3 →")
    # one level less loads
    files[f"d{MAX_FLOW_DEPTH}.flow.yaml"] = "steps: [refuse]\n"
    _tree(tmp_path, files)
    [s] = load_scenarios(tmp_path / "s.yaml")
    assert len(s.steps) == MAX_FLOW_DEPTH


def test_a_broken_flow_used_twice_is_reported_once(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "s.yaml": HEAD + "steps: [{run_flow: a.flow.yaml}]\n---\n"
                  "name: m\napp: com.example.news\nsteps: [{run_flow: a.flow.yaml}]\n",
        "a.flow.yaml": "steps: [agre]\n",
    })
    [error] = _errors(tmp_path / "s.yaml")
    assert "unknown step 'agre' (did you mean 'agree'?)" in error


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    _tree(tmp_path, {
        "scenarios/news.yaml": HEAD + "steps: [{run_flow: flows/agree.flow.yaml}]\n",
        "scenarios/flows/agree.flow.yaml": "steps: [wait_for_consent, agree]\n",
        "scenarios/flows/unused.flow.yaml": "steps: [agre]\n",
    })
    yield tmp_path


def test_validate_checks_flows_used_or_not(project: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "harness.cli.main", "validate", "scenarios"],
                         cwd=project, capture_output=True, text=True, check=False)
    assert out.returncode == 2, out.stderr
    assert out.stdout.splitlines() == [
        "OK scenarios/news.yaml (1 scenario, 1 flow)",
        "scenarios/flows/unused.flow.yaml:1: steps[0]: unknown step 'agre' (did you mean "
        "'agree'?); expected one of: " + ", ".join(STEP_TYPES),
    ]
    good = subprocess.run([sys.executable, "-m", "harness.cli.main", "validate",
                           "scenarios/flows/agree.flow.yaml"],
                          cwd=project, capture_output=True, text=True, check=False)
    assert good.returncode == 0 and good.stdout == "OK scenarios/flows/agree.flow.yaml (flow, 2 steps)\n"


def test_the_json_schemas_have_run_flow() -> None:
    scenario = jsonschema.Draft202012Validator(scenario_json_schema())
    ok: dict[str, Any] = {"name": "n", "app": "a.b",
                          "steps": [{"run_flow": "f/login.flow.yaml"},
                                    {"run_flow": {"file": "x.flow.yml"}}]}
    assert not list(scenario.iter_errors(ok))
    assert list(scenario.iter_errors({**ok, "steps": [{"run_flow": "login.yaml"}]}))
    flow = jsonschema.Draft202012Validator(flow_json_schema())
    assert not list(flow.iter_errors({"name": "login", "steps": ["agree", {"run_flow": "b.flow.yaml"}]}))
    assert list(flow.iter_errors({"app": "a.b", "steps": ["agree"]}))
    assert list(flow.iter_errors({"steps": []}))


def test_run_plays_a_flow_on_the_simulator(tmp_path: Path) -> None:
    """`consent-harness run scenarios/` with a flow beside the scenario: the flow file is
    not taken for a scenario, its steps play on the device (the consent dialog found and
    agreed to, the app observed) and their step markers carry the flow file's lines."""
    import json
    import shutil

    from tests.e2e_support import require

    if shutil.which("javac") is None:
        require("a JDK (javac)", "the simulated device's apps are JVM programs")
    try:
        import frida  # noqa: F401
    except ImportError as exc:
        require("frida", str(exc))
    _tree(tmp_path, {
        "scenarios/news.yaml": "name: news agree through a flow\napp: com.example.news\n"
                               "steps:\n  - run_flow: flows/agree.flow.yaml\n  - observe: 1\n"
                               'expect: {"7.2/pre-consent-collection": fail}\n',
        "scenarios/flows/agree.flow.yaml": "name: agree to the dialog\nsteps:\n"
                                           "  - wait_for_consent: {timeout: 15}\n"
                                           "  - agree\n",
    })
    out = subprocess.run([sys.executable, "-m", "harness.cli.main", "run", "scenarios",
                          "--report", "out", "-q"],
                         cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    [result] = summary["scenarios"]  # the flow file was not run as a scenario
    assert result["scenario"] == "news agree through a flow" and result["mismatches"] == []
    [trace] = (tmp_path / "out" / "scenarios").glob("*/trace.jsonl")
    steps = [json.loads(line)["detail"] for line in trace.read_text("utf-8").splitlines()
             if '"marker":"step"' in line.replace(" ", "")]
    assert [(s["step"], s["line"], s["happened"], s.get("file")) for s in steps] == [
        ("wait_for_consent", 3, True, "scenarios/flows/agree.flow.yaml"),
        ("agree", 4, True, "scenarios/flows/agree.flow.yaml"),
        ("observe", 5, True, None)]
    markers = trace.read_text("utf-8")
    assert '"consent_granted"' in markers
    # the run folder holds the flow beside its copy of the scenario: it can be read again,
    # and the manifest seals it
    folder = trace.parent
    assert (folder / "flows" / "agree.flow.yaml").read_text("utf-8").startswith("name: agree")
    assert load_scenarios(folder / "scenario.yaml")[0].flow_files
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert any(f["path"].endswith("/flows/agree.flow.yaml") for f in manifest["files"])
