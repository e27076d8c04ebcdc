"""``consent-harness rules`` and ``score --rules``: which rules, chosen how."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.main import main

CHECKLIST = Path(__file__).parents[1] / "scoring" / "golden" / "checklist"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_rules_lists_every_rule_with_article_default_statement_and_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "rules")
    assert code == 0
    head = {
        line.split()[0]: line.split()[1:] for line in out.splitlines() if "/" in line.split(" ")[0]
    }
    assert head["7.2/pre-consent-collection"] == ["7(2)", "default"]
    assert head["7.4/re-ask-after-refusal"] == ["7(4)", "opt-in"]
    assert len(head) == 14
    assert "source: 《App违法违规收集使用个人信息行为认定方法》(2019) 四.4" in out
    assert "14 rule(s), 7 scored by default" in out


def test_rules_json_with_a_glob(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "7.4/re*", "--json")
    assert code == 0
    entries = json.loads(out)
    assert [e["id"] for e in entries] == ["7.4/refusal-denies-service", "7.4/re-ask-after-refusal"]
    assert all(e["default"] is False and e["source"] and e["statement"] for e in entries)


def test_score_rules_scores_only_the_chosen_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "score",
        str(CHECKLIST / "frequency_burst.jsonl"),
        "--rules",
        "7.2/excessive-*",
        "--rules",
        "7.4",
        "--json",
    )
    report = json.loads(out)
    assert code == 1  # the frequency rule fails
    assert [r["rule"] for r in report["rules"]][0] == "7.2/excessive-frequency"
    assert {r["article"] for r in report["rules"]} == {"7.2", "7.4"}
    assert "7.2/pre-consent-collection" not in {r["rule"] for r in report["rules"]}


def test_score_without_rules_scores_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "score", str(CHECKLIST / "frequency_burst.jsonl"), "--json")
    assert code == 0
    assert len(json.loads(out)["rules"]) == 7


def test_a_selector_that_selects_nothing_is_exit_2_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(
        capsys, "score", str(CHECKLIST / "frequency_burst.jsonl"), "--rules", "7.9/*"
    )
    assert code == 2
    assert "--rules: '7.9/*' selects no rule" in err
