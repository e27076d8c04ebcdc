# ruff: noqa: E501  (the error table reads best one case per line)
from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import InputError, ScenarioError
from harness.model import Category, Verdict
from harness.scenario import (
    AgreeStep,
    KeyStep,
    LaunchStrategy,
    ObserveStep,
    PermissionAnswer,
    PermissionsMode,
    PermissionsStep,
    RefuseStep,
    Scenario,
    TapStep,
    WaitForConsentStep,
    WithdrawStep,
    check_paths,
    load_scenarios,
    scenario_files,
)

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"


def test_design_example() -> None:
    [s] = load_scenarios(GOOD / "refuse.yaml")
    assert s.name == "News app — refuse consent"
    assert s.app == "com.example.news" and s.apk is None
    assert s.tags == ["refuse"] and s.scope == [Category.LOCATION]
    assert s.launch.clear_data is True and s.launch.permissions is PermissionsMode.REVOKE_ALL
    assert s.launch.strategy is LaunchStrategy.AUTO
    assert [type(x) for x in s.steps] == [WaitForConsentStep, ObserveStep, RefuseStep, ObserveStep]
    assert [x.line for x in s.steps] == [8, 9, 10, 11]
    assert s.steps[0].timeout == 15 and s.steps[1].seconds == 3
    assert s.expect == {"7.2": Verdict.FAIL, "7.4": Verdict.PASS}
    assert s.source.file == GOOD / "refuse.yaml" and s.source.line == 2
    assert s.needs_consent_dialog()


def test_every_step_form() -> None:
    [s] = load_scenarios(GOOD / "every_step.yaml")
    kinds = [x.kind for x in s.steps]
    assert kinds == [
        "wait_for_consent", "observe", "agree", "permissions", "permissions", "tap", "tap", "tap",
        "background", "background", "relaunch", "relaunch", "key", "key", "withdraw", "withdraw",
        "refuse",
    ]  # fmt: skip
    st = s.steps
    assert isinstance(st[2], AgreeStep) and st[2].timeout == 3
    assert isinstance(st[3], PermissionsStep) and st[3].answer is PermissionAnswer.ALLOW
    assert isinstance(st[4], PermissionsStep) and st[4].answer is PermissionAnswer.DENY
    assert isinstance(st[5], TapStep) and st[5].text == "设置"
    assert isinstance(st[6], TapStep) and st[6].resource_id == "btn_settings"
    assert isinstance(st[7], TapStep) and st[7].point == (540, 1200)
    assert st[9].seconds == 2.0  # bare background: default
    assert st[11].clear_data is True and st[10].clear_data is False
    assert isinstance(st[13], KeyStep) and st[13].key == "HOME"
    w = st[14]
    assert isinstance(w, WithdrawStep) and [x.line for x in w.steps] == [30, 31]
    assert isinstance(st[15], WithdrawStep) and isinstance(st[15].steps[0], KeyStep)
    assert s.launch.strategy is LaunchStrategy.DEBUG_WAIT
    assert s.launch.permissions is PermissionsMode.GRANT_ALL and s.launch.clear_data is False
    # numeric YAML keys (7.4:) become article ids
    assert s.expect == {
        "7.2": Verdict.PASS,
        "7.4": Verdict.NOT_APPLICABLE,
        "7.2/pre-consent-collection": Verdict.PASS,
    }
    assert s.timeout.consent == 20 and s.timeout.ui == 5 and s.timeout.launch == 30
    assert s.timeout_for(st[0]) == 20 and s.timeout_for(st[2]) == 3 and s.timeout_for(st[5]) == 5
    assert len(s.iter_steps()) == 17 + 3
    m = s.matchers.consent_matchers()
    assert m.agree.pattern.pattern == "^好的$"


def test_multi_document_stream_and_relative_apk() -> None:
    first, second = load_scenarios(GOOD / "nested" / "suite.yml")
    assert first.name == "first" and first.source.document == 0 and first.source.line == 1
    assert second.name == "second" and second.source.document == 1 and second.source.line == 6
    assert second.app is None and second.apk == [GOOD / "nested" / ".." / "app.apk"]
    assert second.apk is not None and second.apk[0].is_file()


def test_directory_is_recursive_and_sorted() -> None:
    assert [p.relative_to(GOOD).as_posix() for p in scenario_files(GOOD)] == [
        "every_step.yaml",
        "nested/suite.yml",
        "refuse.yaml",
    ]
    names = [s.name for s in load_scenarios(GOOD)]
    assert names == ["新闻 — agree, then withdraw", "first", "second", "News app — refuse consent"]


def test_step_models_are_plain_pydantic() -> None:
    step = TapStep(text="OK")
    assert step.line == 0 and step.kind == "tap"
    assert TapStep.model_validate({"point": [1, 2]}).point == (1, 2)
    s = Scenario.model_validate({"name": "n", "app": "a.b", "steps": [AgreeStep()]})
    assert s.source.file == Path("<string>")


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


HEAD = "name: n\napp: com.example.news\n"

# (yaml, line, field, words in the message)
CASES: list[tuple[str, int | None, str | None, str]] = [
    (
        HEAD + "steps:\n  - agre\n",
        4,
        "steps[0]",
        "unknown step 'agre' (did you mean 'agree'?); expected one of: wait_for_consent, observe, agree",
    ),
    (HEAD + "steps:\n  - tapp: {text: x}\n", 4, "steps[0].tapp", "unknown step 'tapp'"),
    (
        HEAD + "steps:\n  - observe\n",
        4,
        "steps[0]",
        "step 'observe' needs a value, e.g. `observe: 3`",
    ),
    (HEAD + "steps:\n  - observe: soon\n", 4, "steps[0].observe", "expected a number, got 'soon'"),
    (HEAD + "steps:\n  - observe: -1\n", 4, "steps[0].observe", "greater than or equal to 0"),
    (
        HEAD + "steps:\n  - tap: 设置\n",
        4,
        "steps[0].tap",
        "takes options (text, resource_id, point, timeout)",
    ),
    (
        HEAD + "steps:\n  - tap: {text: a, point: [1, 2]}\n",
        4,
        "steps[0].tap",
        "exactly one of text, resource_id or point",
    ),
    (HEAD + "steps:\n  - tap:\n      point: [1]\n", 5, "steps[0].tap.point", "expected [x, y]"),
    (
        HEAD + "steps:\n  - tap:\n      txt: a\n",
        5,
        "steps[0].tap.txt",
        "unknown field 'txt' (did you mean 'text'?); expected one of: text, resource_id, point, timeout",
    ),
    (HEAD + "steps:\n  - agree: {timeout: 0}\n", 4, "steps[0].agree.timeout", "greater than 0"),
    (
        HEAD + "steps:\n  - permissions: maybe\n",
        4,
        "steps[0].permissions",
        "'maybe' is not accepted; expected 'allow', 'deny', 'allow_once' or 'allow_approximate'",
    ),
    (HEAD + "steps:\n  - permissions\n", 4, "steps[0]", "needs a value, e.g. `permissions: allow`"),
    (HEAD + "steps:\n  - key: 'rm -rf /'\n", 4, "steps[0].key", "is not a key"),
    (
        HEAD + "steps:\n  - observe: 3\n    timeout: 4\n",
        5,
        "steps[0].timeout",
        "put the options of 'observe' under it",
    ),
    (HEAD + "steps:\n  - 3\n", 4, "steps[0]", "expected a step name"),
    (
        HEAD + "steps:\n  - withdraw:\n    - tap: {}\n    - agre\n",
        5,
        "steps[0].withdraw[0].tap",
        "exactly one of",
    ),
    (
        HEAD + "steps:\n  - withdraw: {steps: [nope]}\n",
        4,
        "steps[0].withdraw.steps[0]",
        "unknown step 'nope'",
    ),
    (HEAD + "steps: []\n", 3, "steps", "at least 1"),
    (HEAD + "steps: agree\n", 3, "steps", "expected a list, got 'agree'"),
    (HEAD, 1, "steps", "required field is missing"),
    (
        "name: n\nsteps: [agree]\n",
        1,
        "app",
        "missing: give app (a package name such as com.example.news) or apk",
    ),
    ("name: n\napp: a.b\napk: s.yaml\nsteps: [agree]\n", 3, "apk", "either app or apk, not both"),
    ("name: n\napk: missing.apk\nsteps: [agree]\n", 2, "apk", "file not found"),
    ("name: n\napp: 'com.x; reboot'\nsteps: [agree]\n", 2, "app", "not an Android package name"),
    ("name: n\napp: news\nsteps: [agree]\n", 2, "app", "not an Android package name"),
    ("app: a.b\nsteps: [agree]\n", 1, "name", "required field is missing"),
    ("name: '  '\napp: a.b\nsteps: [agree]\n", 1, "name", "blank"),
    (
        HEAD + "scope: [locaton]\nsteps: [agree]\n",
        3,
        "scope[0]",
        "'locaton' is not accepted; expected 'device_id'",
    ),
    (HEAD + "scope: location\nsteps: [agree]\n", 3, "scope", "expected a list"),
    (
        HEAD + "launch:\n  permissions: all\nsteps: [agree]\n",
        4,
        "launch.permissions",
        "expected 'revoke_all', 'keep' or 'grant_all'",
    ),
    (
        HEAD + "launch: {strategy: fork}\nsteps: [agree]\n",
        3,
        "launch.strategy",
        "'auto', 'spawn' or 'debug-wait'",
    ),
    (
        HEAD + "launch: {clear_data: maybe}\nsteps: [agree]\n",
        3,
        "launch.clear_data",
        "expected true or false",
    ),
    (
        HEAD + "launch: {wipe: true}\nsteps: [agree]\n",
        3,
        "launch.wipe",
        "unknown field 'wipe'; expected one of: clear_data, permissions, strategy",
    ),
    (
        HEAD + "matchers: {agree: '(('}\nsteps: [agree]\n",
        3,
        "matchers.agree",
        "invalid regular expression",
    ),
    (
        HEAD + "timeout: soon\nsteps: [agree]\n",
        3,
        "timeout",
        "expected seconds (a number) or a mapping",
    ),
    (
        HEAD + "steps: [agree]\nexpect:\n  '7.2': good\n",
        5,
        "expect['7.2']",
        "'good' is not accepted; expected 'not_applicable', 'pass'",
    ),
    (
        HEAD + "steps: [agree]\nexpect:\n  7.3: fail\n",
        5,
        "expect['7.3']",
        "not an article or a rule of this consent-harness; expected 7.2, 7.4",
    ),
    (
        HEAD + "steps: [agree]\nbogus: 1\n",
        4,
        "bogus",
        "unknown field 'bogus'; expected one of: name, app, apk, tags",
    ),
    (HEAD + "steps: [agree]\nsource: x\n", 4, "source", "unknown field 'source'"),
    ("- a\n- b\n", 1, None, "a scenario is a mapping with name"),
    # The line of the cause (the open bracket), not where the parser gave up.
    ("name: [unclosed\n", 1, None, "the list opened here by '[' is never closed"),
    ("name: a\nname: b\n", 2, None, "duplicate key"),
    ("", None, None, "no scenario in this file"),
    (HEAD + "steps: [!shell agree]\n", 3, None, "YAML tag !shell is not supported"),
    (
        HEAD + "steps: [agree]\n---\n" + HEAD + "steps: [refuse]\n",
        5,
        "name",
        "duplicate scenario name 'n' in this file (first at line 1)",
    ),
]


@pytest.mark.parametrize("text, line, field, words", CASES, ids=[str(i) for i in range(len(CASES))])
def test_errors_name_file_line_field(
    tmp_path: Path, text: str, line: int | None, field: str | None, words: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    err = info.value
    assert isinstance(err, InputError) and err.exit_code == 2
    assert err.path == str(path)
    assert (err.line, err.field) == (line, field), str(err)
    assert words in err.detail, str(err)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(err).startswith(where + (f"{field}: " if field else ""))


def test_all_problems_are_collected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "name: n\napp: bad name\nsteps:\n  - agre\n  - observe: x\nlaunch: {strategy: x}\n",
    )
    [report] = check_paths([path])
    assert [(e.line, e.field) for e in report.errors] == [
        (2, "app"),
        (4, "steps[0]"),
        (5, "steps[0+1]".replace("0+1", "1") + ".observe"),
        (6, "launch.strategy"),
    ]
    with pytest.raises(ScenarioError, match=r"and 3 more problems"):
        load_scenarios(path)


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file or directory"):
        load_scenarios(tmp_path / "nope")
    assert load_scenarios(tmp_path) == []
    [report] = check_paths([tmp_path])
    assert "no *.yaml" in str(report.errors[0])


def test_hidden_directories_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path, HEAD + "steps: [agree]\n", "a.yaml")
    (tmp_path / ".git").mkdir()
    _write(tmp_path / ".git", "garbage: [", "x.yaml")
    assert [s.name for s in load_scenarios(tmp_path)] == ["n"]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = _write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match="too many YAML nodes"):
        load_scenarios(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenarios(path)
