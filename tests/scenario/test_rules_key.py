"""A scenario's `rules:` and the rules its `expect:` names: validated at the line, and
always scored (an expectation on a rule nobody scores would be a silent mismatch)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ScenarioError
from harness.scenario import load_scenarios
from harness.scoring.selection import select_rules

HEAD = "name: x\napp: com.example.news\nsteps: [{observe: 1}]\n"


def scenario(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + text, "utf-8")
    (only,) = load_scenarios(path)
    return only


def test_an_unknown_rule_is_refused_at_its_line_with_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario(tmp_path, "rules: [checklist, 7.9/nope]\n")
    text = str(err.value)
    assert "s.yaml:4" in text and "'7.9/nope' selects no rule" in text
    assert "7.4/refusal-denies-service" in text


def test_default_rules_when_nothing_asks_for_others(tmp_path: Path) -> None:
    s = scenario(tmp_path, 'expect: {"7.2": fail, "7.2/pre-consent-collection": fail}\n')
    assert s.rule_selection() is None


def test_a_checklist_rule_named_in_expect_is_scored_beside_the_defaults(tmp_path: Path) -> None:
    s = scenario(tmp_path, 'expect: {"7.4/refusal-denies-service": pass}\n')
    ids = [r.id for r in select_rules(s.rule_selection())]
    assert "7.4/refusal-denies-service" in ids and "7.2/pre-consent-collection" in ids


def test_the_command_line_overrides_rules_but_never_drops_an_expected_rule(
    tmp_path: Path,
) -> None:
    s = scenario(tmp_path, 'rules: [checklist]\nexpect: {"7.2/pre-consent-collection": fail}\n')
    assert {r.id for r in select_rules(s.rule_selection())} >= {
        "7.2/implicit-consent", "7.2/pre-consent-collection"}
    only = [r.id for r in select_rules(s.rule_selection(("7.4/*",)))]
    assert "7.2/implicit-consent" not in only and "7.2/pre-consent-collection" in only
