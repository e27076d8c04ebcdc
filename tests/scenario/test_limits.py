"""Hostile scenario files are refused before they can hurt: limits checked while parsing,
YAML errors at the line of their cause, unknown rules and keys with a suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ScenarioError
from harness.scenario import KeyStep, load_scenarios
from harness.scenario.yamlsrc import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_SCALAR_CHARS

HEAD = "name: n\napp: com.example.news\n"


def _error(tmp_path: Path, text: str) -> ScenarioError:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    err = info.value
    assert err.exit_code == 2 and err.path == str(path)
    return err


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 5000])
def test_deep_flow_nesting_is_refused_at_its_line(tmp_path: Path, depth: int) -> None:
    # ~300 levels used to end in a RecursionError (exit 1) inside ruamel's composer.
    err = _error(tmp_path, HEAD + "steps: " + "[" * depth + "]" * depth + "\n")
    assert err.line == 3 and f"nested deeper than {MAX_DEPTH} levels" in err.detail


def test_deep_block_nesting_is_refused_at_the_level_past_the_limit(tmp_path: Path) -> None:
    lines = "".join("  " * i + "-\n" for i in range(1, 300))
    err = _error(tmp_path, HEAD + "steps:\n" + lines)
    # steps is level 1 (the document mapping), each "-" one more.
    assert err.line is not None and 3 < err.line <= 3 + MAX_DEPTH + 1


def test_too_many_nodes(tmp_path: Path) -> None:
    err = _error(tmp_path, HEAD + "tags: [" + ",".join(["a"] * (MAX_NODES + 10)) + "]\n")
    assert err.line == 3 and "too many YAML nodes" in err.detail


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    text = HEAD + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
    err = _error(tmp_path, text + "steps: [agree]\n")
    assert "too many YAML nodes" in err.detail and err.line is not None


def test_long_scalar_is_refused(tmp_path: Path) -> None:
    err = _error(tmp_path, HEAD + "tags: [ok]\nsteps:\n  - tap: {text: " + "x" * 5000 + "}\n")
    assert err.line == 5 and f"at most {MAX_SCALAR_CHARS}" in err.detail


def test_huge_integer_is_refused_not_a_crash(tmp_path: Path) -> None:
    err = _error(tmp_path, HEAD + "steps:\n  - observe: " + "9" * 4100 + "\n")
    assert err.line == 4


def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    err = _error(tmp_path, HEAD + "# " + "x" * MAX_FILE_BYTES + "\n")
    assert "larger than" in err.detail


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(HEAD.encode() + b"tags: [\xff]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    assert info.value.line == 3 and "not UTF-8" in info.value.detail


@pytest.mark.parametrize(
    "text, line, words",
    [
        (HEAD + "tags: [a, b\nsteps:\n  - agree\n\n\n", 3, "'[' is never closed"),
        (HEAD + "launch: {clear_data: true\nsteps: [agree]\n\n", 3, "'{' is never closed"),
        ('name: "News\napp: com.example.news\nsteps: [agree]\n\n\n', 1, "quoted text"),
        (HEAD + "steps:\n  - agree\n  oops\n", 5, "invalid YAML"),
        (HEAD + "tags: [a]\nsteps: [agree]\x07\n", 4, "special characters"),
    ],
)
def test_yaml_errors_point_at_their_cause(tmp_path: Path, text: str, line: int, words: str) -> None:
    err = _error(tmp_path, text)
    assert (err.line, words in err.detail) == (line, True), str(err)


@pytest.mark.parametrize(
    "key, hint",
    [
        ("7.2/pre-consent", "did you mean '7.2/pre-consent-collection'?"),
        ("7.4/bundled-instal", "did you mean '7.4/bundled-install'?"),
        ("7.2/no-such-rule-at-all", "7.2/pre-consent-collection"),
        ("7.3", "expected 7.2, 7.4"),
    ],
)
def test_unknown_rule_in_expect_is_refused_with_a_suggestion(
    tmp_path: Path, key: str, hint: str
) -> None:
    err = _error(tmp_path, HEAD + f"steps: [agree]\nexpect: {{'{key}': fail}}\n")
    assert err.line == 4 and err.field == f"expect[{key!r}]"
    assert "not an article or a rule" in err.detail and hint in err.detail


def test_every_registered_rule_is_accepted(tmp_path: Path) -> None:
    from harness.scoring import RULES

    expect = ", ".join(f"'{r.id}': fail" for r in RULES)
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + f"steps: [agree]\nexpect: {{'7.2': fail, 7.4: pass, {expect}}}\n")
    (scenario,) = load_scenarios(path)
    assert set(scenario.expect) == {"7.2", "7.4", *(r.id for r in RULES)}


def test_unknown_key_name_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    err = _error(tmp_path, HEAD + "steps:\n  - key: BAKC\n")
    assert err.line == 4 and err.field == "steps[0].key" and "did you mean BACK?" in err.detail
    err = _error(tmp_path, HEAD + "steps:\n  - key: 'rm -rf /'\n")
    assert "is not a key" in err.detail


@pytest.mark.parametrize(
    "given, sent",
    [
        ("BACK", "BACK"),
        ("keycode_home", "HOME"),
        ("KEYCODE_5", "12"),
        ("3D_MODE", "206"),
        ("4", "4"),
        (66, "66"),
        ("APP_SWITCH", "APP_SWITCH"),
    ],
)
def test_key_names_are_androids(tmp_path: Path, given: object, sent: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + f"steps:\n  - key: {given}\n")
    (scenario,) = load_scenarios(path)
    step = scenario.steps[0]
    assert isinstance(step, KeyStep) and step.key == sent


def test_header_typo_gets_a_suggestion(tmp_path: Path) -> None:
    err = _error(tmp_path, HEAD + "stpes: [agree]\n")
    assert "did you mean 'steps'?" in _error(tmp_path, HEAD + "steps: [agree]\nstpes: 1\n").detail
    assert err.line is not None


def test_every_unknown_rule_is_reported_at_its_own_line(tmp_path: Path) -> None:
    from harness.scenario import check_file

    path = tmp_path / "s.yaml"
    path.write_text(
        HEAD + "steps: [agree]\nexpect:\n  7.2: fail\n  7.2/pre-consent: fail\n"
        "  7.4/bundled: pass\n"
    )
    report = check_file(path)
    assert [(e.line, e.field) for e in report.errors] == [
        (6, "expect['7.2/pre-consent']"),
        (7, "expect['7.4/bundled']"),
    ]
    assert "did you mean '7.4/bundled-install'?" in report.errors[1].detail
