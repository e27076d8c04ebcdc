"""How scenario outcomes become `run`'s exit status (0 ok / 1 violation or mismatch / 3
infrastructure failure) — the contract CI jobs rely on."""

from __future__ import annotations

from harness.cli.run_cmd import exit_status, scenario_ok
from harness.model import ArticleVerdict, ScenarioResult, Verdict


def result(verdict: Verdict, *, expect: dict[str, Verdict] | None = None,
           mismatches: list[str] | None = None, error: str | None = None) -> ScenarioResult:
    return ScenarioResult(
        scenario="s", package="com.example.app", verdict=verdict,
        articles=[ArticleVerdict(article="7.2", verdict=verdict, rules=[])], rules=[],
        expect=expect or {}, mismatches=mismatches or [], error=error,
    )


def test_expected_violation_is_ok_and_unexpected_one_fails() -> None:
    pinned = result(Verdict.FAIL, expect={"7.2": Verdict.FAIL})
    surprise = result(Verdict.FAIL)
    assert scenario_ok(pinned, Verdict.FAIL)
    assert not scenario_ok(surprise, Verdict.FAIL)
    assert exit_status([pinned], Verdict.FAIL) == 0
    assert exit_status([pinned, surprise], Verdict.FAIL) == 1


def test_mismatch_fails_even_when_everything_passed() -> None:
    r = result(Verdict.PASS, expect={"7.2": Verdict.FAIL}, mismatches=["7.2: expected fail"])
    assert exit_status([r], Verdict.FAIL) == 1


def test_inconclusive_fails_only_when_asked() -> None:
    r = result(Verdict.INCONCLUSIVE)
    assert exit_status([r], Verdict.FAIL) == 0
    assert exit_status([r], Verdict.INCONCLUSIVE) == 1


def test_a_lost_device_is_an_infrastructure_failure_never_a_pass() -> None:
    lost = result(Verdict.ERROR, error="device lost: 127.0.0.1:7100 went offline")
    assert not scenario_ok(lost, Verdict.FAIL)
    assert exit_status([result(Verdict.PASS), lost], Verdict.FAIL) == 3
