"""Writer → reader: what a recorder writes is what a reviewer reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.errors import TraceError
from harness.model import CallEvent, Marker, TraceEnd, TraceIssue
from harness.testing import T0, TraceBuilder
from harness.tracefile import TraceWriter, open_trace


def _builder() -> TraceBuilder:
    return (
        TraceBuilder()
        .header(app="com.example.news", scope=["location"], scenario="agree")
        .hooks_ready(at=0)
        .shown(at=100)
        .call("telephony.imei", at=150, sdk="com.example.sdk.ads", ret="861234567890123")
        .grant(at=1000)
        .call("location.last_known", at=1100, args=["gps"], ret="39.9042,116.4074")
        .issue("sequence_gap", at=1200, level="warning", message="lost 2")
    )


def test_round_trip_keeps_every_record_in_order(tmp_path: Path) -> None:
    builder = _builder()
    path = builder.write(tmp_path / "trace.jsonl")
    trace = open_trace(path)
    assert trace.header.app.package == "com.example.news"
    assert trace.header.redacted is False
    assert list(trace.records()) == builder.records()


def test_records_is_re_iterable_and_markers_filters(tmp_path: Path) -> None:
    trace = open_trace(_builder().write(tmp_path / "t.jsonl"))
    first = list(trace.records())
    assert list(trace.records()) == first
    markers = list(trace.markers())
    assert markers == [r for r in first if isinstance(r, Marker)]
    assert [m.marker.value for m in markers] == ["hooks_ready", "consent_shown", "consent_granted"]


def test_writer_flushes_each_batch_so_a_crash_loses_nothing(tmp_path: Path) -> None:
    builder = _builder()
    header = builder.build().header
    writer = TraceWriter(tmp_path / "t.jsonl", header, reveal_values=True)
    assert len((tmp_path / "t.jsonl").read_text().splitlines()) == 1  # header at once
    batch = [r for r in builder.records() if isinstance(r, (CallEvent, Marker))][:3]
    writer.write(batch)
    # Read while the writer is still open, as after a crash of the host.
    assert list(open_trace(tmp_path / "t.jsonl").records()) == batch
    writer.abandon()


def test_context_manager_writes_end_record_with_event_count(tmp_path: Path) -> None:
    builder = _builder()
    with TraceWriter(tmp_path / "t.jsonl", builder.build().header, reveal_values=True) as w:
        w.write(r for r in builder.records() if not isinstance(r, TraceEnd))
    end = list(open_trace(tmp_path / "t.jsonl").records())[-1]
    assert isinstance(end, TraceEnd)
    assert (end.reason, end.events) == ("completed", 2)


def test_context_manager_records_an_error_end_on_exception(tmp_path: Path) -> None:
    header = _builder().build().header
    with pytest.raises(RuntimeError):
        with TraceWriter(tmp_path / "t.jsonl", header, reveal_values=True):
            raise RuntimeError("agent died")
    end = list(open_trace(tmp_path / "t.jsonl").records())[-1]
    assert isinstance(end, TraceEnd)
    assert (end.reason, end.message) == ("error", "agent died")


def test_writer_refuses_header_and_writes_after_close(tmp_path: Path) -> None:
    header = _builder().build().header
    writer = TraceWriter(tmp_path / "t.jsonl", header, reveal_values=True)
    with pytest.raises(TypeError):
        writer.write([header])  # type: ignore[list-item]
    writer.close(TraceEnd(ts=T0, reason="completed"))
    writer.close()  # twice is fine
    with pytest.raises(ValueError, match="closed"):
        writer.write([TraceIssue(ts=T0, level="warning", code="x", message="y")])


# -- reader errors ---------------------------------------------------------------------


def _lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


HEADER = (
    '{"kind":"header","created_at":"2024-01-01T00:00:00Z","harness_version":"0.1.0",'
    '"app":{"package":"com.example.news"},"catalog_hash":"x"}'
)
CALL = (
    '{"kind":"call","seq":0,"ts":10,"pid":1,"tid":1,"thread":"main",'
    '"api":"telephony.imei","category":"device_id","stack":["a.B.c(B.java:1)"]}'
)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TraceError, match="no such trace file") as err:
        open_trace(tmp_path / "nope.jsonl")
    assert err.value.exit_code == 2


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_text("")
    with pytest.raises(TraceError, match="empty file"):
        open_trace(tmp_path / "e.jsonl")


def test_not_json_names_line_one(tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text("hello world\n")
    with pytest.raises(TraceError, match="not JSON") as err:
        open_trace(tmp_path / "t.jsonl")
    assert err.value.line == 1


def test_missing_header_names_what_was_found(tmp_path: Path) -> None:
    path = _lines(tmp_path / "t.jsonl", CALL)
    with pytest.raises(TraceError, match="first line must be the trace header") as err:
        open_trace(path)
    assert (err.value.line, err.value.field) == (1, "kind")


def test_future_format_asks_to_upgrade(tmp_path: Path) -> None:
    header = json.loads(HEADER) | {"format_version": 99, "brand_new_field": 1}
    path = _lines(tmp_path / "t.jsonl", json.dumps(header))
    with pytest.raises(TraceError) as err:
        open_trace(path)
    assert "this trace was written by a newer consent-harness (format 99); please upgrade" in str(
        err.value
    )


def test_bad_header_field_names_field(tmp_path: Path) -> None:
    header = json.loads(HEADER) | {"scope": ["telepathy"]}
    path = _lines(tmp_path / "t.jsonl", json.dumps(header))
    with pytest.raises(TraceError) as err:
        open_trace(path)
    assert (err.value.line, err.value.field) == (1, "scope.0")


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        (CALL.replace('"ts":10', '"ts":"soon"'), "ts", "expected a number, got 'soon'"),
        (CALL.replace('"pid":1,', ""), "pid", "Field required"),
        (CALL.replace('"category":"device_id"', '"category":"aura"'), "category", "device_id"),
        (CALL.replace('"thread":"main"', '"thread":"main","colour":"red"'), "colour", "Extra"),
        (CALL.replace('["a.B.c(B.java:1)"]', '["a.B.c", 7]'), "stack.1", "a string, got 7"),
        ('{"kind":"chapter","ts":1}', "kind", "'call', 'marker', 'issue', 'end' or 'stack'"),
        ('{"kind":"call", "seq": 1,', None, "not valid JSON"),
    ],
)
def test_malformed_record_names_line_field_and_expectation(
    tmp_path: Path, line: str, field: str | None, words: str
) -> None:
    path = _lines(tmp_path / "t.jsonl", HEADER, CALL, "", line, CALL)
    trace = open_trace(path)
    with pytest.raises(TraceError) as err:
        list(trace.records())
    assert err.value.line == 4
    assert err.value.field == field
    assert words in str(err.value)
    assert str(path) in str(err.value)


def test_cut_short_last_line_becomes_an_error_issue(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(HEADER + "\n" + CALL + "\n" + CALL[:40], encoding="utf-8")
    records = list(open_trace(path).records())
    assert isinstance(records[0], CallEvent)
    assert isinstance(records[-1], TraceIssue)
    assert (records[-1].code, records[-1].level) == ("truncated_record", "error")


def test_record_after_end_and_second_header_are_errors(tmp_path: Path) -> None:
    end = '{"kind":"end","ts":20,"reason":"completed"}'
    with pytest.raises(TraceError, match="after the end record") as err:
        list(open_trace(_lines(tmp_path / "a.jsonl", HEADER, end, CALL)).records())
    assert err.value.line == 3
    with pytest.raises(TraceError, match="second header"):
        list(open_trace(_lines(tmp_path / "b.jsonl", HEADER, CALL, HEADER)).records())


def test_hand_written_layout_reads_like_the_writers(tmp_path: Path) -> None:
    """Other key orders and spacing take the general path and give equal records."""
    spaced = json.dumps(json.loads(CALL), indent=None, separators=(", ", ": "), sort_keys=True)
    trace = open_trace(_lines(tmp_path / "t.jsonl", HEADER, CALL, spaced))
    first, second = trace.records()
    assert first == second
