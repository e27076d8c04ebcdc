"""``consent-harness score``: verdict table, JSON, exit status 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.testing import TraceBuilder

GOLDEN = Path(__file__).parents[1] / "scoring" / "golden"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["score", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_clean_trace_exits_0_with_a_verdict_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(GOLDEN / "agree_clean.jsonl"))
    assert code == 0
    assert "7.2/pre-consent-collection" in out and "PASS" in out
    assert "article 7(2): PASS" in out and "overall: PASS" in out


def test_failed_rule_exits_1_and_shows_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(GOLDEN / "sdk_before_consent.jsonl"))
    assert code == 1
    row = next(line for line in out.splitlines() if line.startswith("7.2/pre-consent-collection"))
    assert "FAIL" in row and "Example Ads (simulated) 1" in row
    # evidence line: seq, phase, +t ms, api, sdk, frame
    assert "pre_consent" in out and "-3500 ms" in out and "telephony.imei" in out
    assert "com.example.sdk.ads.AdLoader.init(AdLoader.java:12)" in out


def test_error_verdict_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(GOLDEN / "sequence_gap.jsonl"))
    assert code == 1
    assert "overall: ERROR" in out


def test_inconclusive_alone_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(GOLDEN / "hooks_failed.jsonl"))
    assert code == 0
    assert "overall: INCONCLUSIVE" in out


def test_json_output_is_the_score_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--json", str(GOLDEN / "withdraw.jsonl"))
    assert code == 1
    report = json.loads(out)
    assert report["verdict"] == "fail"
    rules = {r["rule"]: r for r in report["rules"]}
    assert rules["7.2/post-refusal-collection"]["evidence"][0]["phase"] == "post_refusal"


def test_missing_trace_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(tmp_path / "none.jsonl"))
    assert code == 2
    assert err.startswith("error: ") and "no such trace file" in err


def test_malformed_line_exits_2_naming_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = TraceBuilder().shown(at=0).call("telephony.imei", at=5).write(tmp_path / "t.jsonl")
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if '"seq":1,' in line)
    lines[at] = lines[at].replace('"seq":1', '"seq":"one"')
    path.write_text("\n".join(lines) + "\n")
    code, _, err = _run(capsys, str(path))
    assert code == 2
    assert f"{path}:{at + 1}: seq:" in err


def test_a_step_that_did_not_happen_is_named_and_never_a_pass() -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from harness.cli.score_cmd import score

    golden = Path(__file__).resolve().parent.parent / "scoring" / "golden"
    out = CliRunner().invoke(score, [str(golden / "agree_not_found.jsonl")])
    assert "not seen: step agree (line 9) did not happen" in out.output
    assert "overall: INCONCLUSIVE" in out.output
