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


def test_fail_on_defaults_to_inconclusive_in_run() -> None:
    """A CI build whose consent dialog was never found (inconclusive) is not green."""
    from harness.cli.run_cmd import run

    (option,) = [p for p in run.params if p.name == "fail_on"]
    assert option.default == "inconclusive"
    assert exit_status([result(Verdict.INCONCLUSIVE)], Verdict(option.default)) == 1


def test_the_printed_digest_is_the_whole_digest() -> None:
    from pathlib import Path

    from harness.cli.run_cmd import digest_line

    digest = "ab" * 32
    text = digest_line(Path("report"), digest)
    assert f"manifest sha256 {digest}\n" in text
    assert text.endswith(f"--digest {digest}")
