"""A scenario's `rule_options:`: refused at load when it names an unknown rule or option,
scored when given, and carried into the trace header so the rules judge with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ScenarioError
from harness.scoring import score
from harness.testing import TraceBuilder
from tests.scenario.test_rules_key import scenario


def test_a_misspelt_rule_is_refused_with_the_closest_name(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario(tmp_path, 'rule_options: {"7.2/excesive-frequency": {api_per_second: 5}}\n')
    text = str(err.value)
    assert "s.yaml:4" in text and "7.2/excessive-frequency" in text


def test_an_unknown_option_is_refused_with_the_rules_options(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario(tmp_path, 'rule_options: {"7.2/background-collection": {grace: 5}}\n')
    assert "no option 'grace'" in str(err.value) and "grace_ms" in str(err.value)


def test_a_rule_given_options_is_scored(tmp_path: Path) -> None:
    sc = scenario(tmp_path, 'rule_options: {"7.2/excessive-frequency": {api_per_second: 50}}\n')
    chosen = sc.rule_selection()
    assert chosen is not None and "7.2/excessive-frequency" in chosen and "default" in chosen


def test_options_in_the_header_change_the_verdict() -> None:
    def trace(options: dict | None):  # type: ignore[type-arg]
        b = TraceBuilder().header(scenario="x", rule_options=options).shown(at=0).grant(at=1)
        for i in range(30):  # 30 device-id reads within one second
            b.call("telephony.device_id", at=1000 + i * 10)
        return b.build()

    strict = score(trace(None), rules=["7.2/excessive-frequency"])
    lenient = score(trace({"7.2/excessive-frequency": {"api_per_second": 50,
                                                       "category_per_second": 50}}),
                    rules=["7.2/excessive-frequency"])
    assert [r.verdict.value for r in strict.rules] == ["fail"]
    assert [r.verdict.value for r in lenient.rules] == ["pass"]
