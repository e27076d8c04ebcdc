"""Stack interning (harness.tracefile.stacks), the reader's two call paths, and the
block-wise marker scan: what is written is what is read, errors name line and field."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from harness.errors import TraceError
from harness.model import CallEvent, Marker
from harness.testing import TraceBuilder
from harness.tracefile import TraceWriter, open_trace, reader
from harness.tracefile.stacks import STACK_SLOTS, StackTable

HEADER = (
    '{"kind":"header","created_at":"2024-01-01T00:00:00Z","harness_version":"0.1.0",'
    '"app":{"package":"com.example.news"},"catalog_hash":"x"}'
)
CALL = (
    '{"kind":"call","seq":0,"ts":10,"pid":1,"tid":1,"thread":"main",'
    '"api":"telephony.imei","category":"device_id"'
)
STACK = '{"kind":"stack","id":3,"frames":["a.B.c(B.java:1)","com.x.Y.z(Y.java:2)"]}'


def _lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _builder(calls: int = 6) -> TraceBuilder:
    b = TraceBuilder().header(app="com.example.news").shown(at=1)
    for i in range(calls):
        sdk = ["com.example.sdk.ads", "com.example.sdk.push"][i % 2]
        b.call("telephony.imei", at=10 + i, sdk=sdk)
    return b.grant(at=100).call("location.last_known", at=110, stack=[])


def test_writer_writes_each_distinct_stack_once_and_calls_refer_to_it(tmp_path: Path) -> None:
    builder = _builder()
    path = builder.write(tmp_path / "t.jsonl")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    stacks = [line for line in lines if line["kind"] == "stack"]
    calls = [line for line in lines if line["kind"] == "call"]
    assert len(stacks) == 2 and [s["id"] for s in stacks] == [0, 1]
    assert [c.get("stack_ref") for c in calls] == [0, 1, 0, 1, 0, 1, None]
    assert "stack" not in calls[-1] and "stack_ref" not in calls[-1]  # empty: not written
    read = list(open_trace(path).records())
    assert read == builder.records()
    shared = [r.stack for r in read if isinstance(r, CallEvent) and r.stack]
    assert shared[0] is shared[2]  # one list per stack record (read-only)


def test_a_full_table_starts_over_and_redefines_its_slots(tmp_path: Path) -> None:
    builder = _builder(9)
    original = builder.records()
    writer = TraceWriter(tmp_path / "t.jsonl", builder.build().header, reveal_values=True)
    writer._stacks = StackTable(slots=1)  # noqa: SLF001 — every new stack evicts
    writer.write([r for r in original if not r.kind == "end"])  # type: ignore[misc]
    writer.close()
    text = (tmp_path / "t.jsonl").read_text()
    assert text.count('"kind":"stack"') == 9  # ads, push, ads, … each redefined in slot 0
    assert list(open_trace(tmp_path / "t.jsonl").records())[:-1] == original[:-1]


def test_stack_table_bounds() -> None:
    with pytest.raises(ValueError):
        StackTable(slots=STACK_SLOTS + 1)
    table = StackTable(slots=2)
    assert table.ref(["a"])[1] is not None
    assert table.ref(["a"]) == (0, None)


@pytest.mark.parametrize(
    ("lines", "line", "field", "words"),
    [
        ([CALL + ',"stack_ref":4}'], 2, "stack_ref", "no stack record with id 4"),
        ([STACK, CALL + ',"stack":[],"stack_ref":3}'], 3, "stack_ref", "not both"),
        ([CALL + ',"stack_ref":-1}'], 2, "stack_ref", "stack id from 0"),
        ([STACK.replace('"id":3', f'"id":{STACK_SLOTS}'), CALL + "}"], 2, "id", "less than"),
        ([STACK.replace('"frames"', '"frame"')], 2, "frames", "stack record: Field required"),
        ([STACK.replace('"a.B', '7,"a.B'), CALL + ',"stack_ref":3}'], 2, "frames.0", "string"),
        ([STACK, CALL.replace('"ts":10', '"ts":"soon"') + ',"stack_ref":3}'], 3, "ts", "number"),
        ([STACK, '{"kind":"end","ts":1,"reason":"completed"}', STACK], 4, None, "after the end"),
    ],
)
def test_bad_stack_records_and_refs_name_line_and_field(
    tmp_path: Path, lines: list[str], line: int, field: str | None, words: str
) -> None:
    trace = open_trace(_lines(tmp_path / "t.jsonl", HEADER, *lines))
    with pytest.raises(TraceError) as err:
        list(trace.records())
    assert (err.value.line, err.value.field) == (line, field)
    assert words in str(err.value)


def test_hand_written_ref_layouts_read_like_the_writers(tmp_path: Path) -> None:
    spaced_stack = json.dumps(json.loads(STACK), separators=(", ", ": "))
    spaced_call = json.dumps(json.loads(CALL + ',"stack_ref":3}'), sort_keys=True)
    inline = CALL + ',"stack":["a.B.c(B.java:1)","com.x.Y.z(Y.java:2)"]}'
    trace = open_trace(
        _lines(
            tmp_path / "t.jsonl",
            HEADER,
            spaced_stack,
            spaced_call,
            STACK,
            CALL + ',"stack_ref":3}',
            inline,
        )
    )
    a, b, c = trace.records()
    assert a == b == c
    assert a.stack == ["a.B.c(B.java:1)", "com.x.Y.z(Y.java:2)"]  # type: ignore[union-attr]


LAX = [
    ('"seq":0', '"seq":"0"'),  # hand-written traces: numeric strings are taken
    ('"pid":1', '"pid":1.0'),
    ('"ts":10', '"ts":"10.5"'),
    ('"thread":"main"', '"thread":"main","data":null'),
    ('"ts":10', '"ts":10,"ts":12'),  # duplicate key: the last one wins
]


@pytest.mark.parametrize(("old", "new"), LAX)
@pytest.mark.parametrize("stack", [',"stack":["a.B.c(B.java:1)"]}', ',"stack_ref":3}'])
def test_lax_lines_are_read_with_the_values_they_mean(
    tmp_path: Path, old: str, new: str, stack: str
) -> None:
    """The fast path is strict; what it does not take goes through the general path,
    which reads a lax line as the value it spells (as JSON tools would)."""
    line = CALL.replace(old, new) + stack
    trace = open_trace(_lines(tmp_path / "t.jsonl", HEADER, STACK, line))
    (call,) = trace.records()
    as_json = line.replace(',"stack_ref":3}', ',"stack":["a.B.c(B.java:1)","com.x.Y.z(Y.java:2)"]}')
    assert call == msgspec.convert(json.loads(as_json), CallEvent, strict=False)
    assert isinstance(call, CallEvent) and call.stack_ref is None


def test_a_file_reads_back_the_records_written(tmp_path: Path) -> None:
    builder = _builder()
    trace = open_trace(builder.write(tmp_path / "t.jsonl"))
    read = list(trace.records())
    assert all(type(r) is CallEvent for r in read if r.kind == "call")
    assert read[:-1] == builder.records()[:-1]


@pytest.mark.parametrize("block", [7, 64, 300, 1 << 20])
def test_marker_scan_across_blocks_keeps_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(reader, "_BLOCK", block)
    b = TraceBuilder().header(app="com.example.news").shown(at=1)
    for i in range(20):
        b.call("telephony.imei", at=10 + i, args=["marker"] if i % 3 else [])
        if i % 7 == 0:
            b.marker("host_action", at=10 + i, source="host", text="x" * (i * 10))
    b.grant(at=100)
    path = b.write(tmp_path / "t.jsonl")
    trace = open_trace(path)
    assert list(trace.markers()) == [r for r in trace.records() if isinstance(r, Marker)]
    # A broken marker line is reported with its own line number; a cut last line too.
    lines = path.read_text().splitlines()
    at = max(i for i, line in enumerate(lines) if '"host_action"' in line)
    lines[at] = lines[at].replace('"source":"host"', '"source":"sky"')
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(TraceError) as err:
        list(open_trace(path).markers())
    assert (err.value.line, err.value.field) == (at + 1, "source")
    cut = "\n".join(lines[: at + 1]) + '\n{"kind":"marker","marker":"con'
    path.write_text(cut)
    with pytest.raises(TraceError) as err:
        list(open_trace(path).markers())
    assert err.value.line == at + 1
    lines[at] = lines[at].replace('"sky"', '"host"')
    path.write_text("\n".join(lines[: at + 1]) + '\n{"kind":"marker","marker":"con')
    issues = [r for r in open_trace(path).records() if not isinstance(r, (CallEvent, Marker))]
    assert [i.code for i in issues] == ["truncated_record"]  # type: ignore[union-attr]
    assert len(list(open_trace(path).markers())) == len(
        [r for r in open_trace(path).records() if isinstance(r, Marker)]
    )


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = _lines(tmp_path / "t.jsonl", "", HEADER, STACK, CALL + ',"stack_ref":3}')
    trace = open_trace(path)
    assert len(list(trace.records())) == 1
    assert list(trace.markers()) == []
