"""Hostile and broken traces: NaN/Infinity refused with file:line, and fuzzed traces end in
a TraceError naming file and line — never another exception."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.errors import TraceError
from harness.model import Marker, TraceEnd
from harness.testing import TraceBuilder
from harness.tracefile import TraceWriter, open_trace


def _valid(tmp_path: Path) -> Path:
    return (
        TraceBuilder()
        .header(app="com.example.news")
        .hooks_ready(at=0)
        .shown(at=100)
        .call("telephony.imei", at=150, ret="861234567890123")
        .grant(at=1000)
        .write(tmp_path / "t.jsonl")
    )


def _read_all(path: Path) -> None:
    trace = open_trace(path)
    list(trace.records())
    list(trace.markers())


@pytest.mark.parametrize("number", ["NaN", "-NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
@pytest.mark.parametrize("where", ["call.ts", "marker.ts", "marker.detail", "end.ts", "header"])
def test_non_finite_numbers_are_refused_with_file_and_line(
    tmp_path: Path, number: str, where: str
) -> None:
    path = _valid(tmp_path)
    lines = path.read_text().splitlines()
    kind, _, field = where.partition(".")
    index = next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == kind)
    if kind == "header":
        lines[0] = lines[0].replace('"clock_offset_ms":0.0', f'"clock_offset_ms":{number}')
        assert number in lines[0]
    elif field == "ts":
        record = json.loads(lines[index])
        lines[index] = lines[index].replace(f'"ts":{json.dumps(record["ts"])}', f'"ts":{number}')
    else:
        lines[index] = lines[index][:-1] + f',"detail":{{"x":[1,{{"y":{number}}}]}}}}'
        lines[index] = lines[index].replace('"detail":{},', "")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(TraceError) as info:
        _read_all(path)
    err = info.value
    assert (err.path, err.line) == (str(path), index + 1), str(err)
    assert any(w in err.detail for w in ("NaN or Infinity", "not valid JSON", "not JSON")), str(err)


def test_the_writer_never_writes_a_non_finite_time(tmp_path: Path) -> None:
    header = TraceBuilder().header(app="com.example.news").build().header
    writer = TraceWriter(tmp_path / "t.jsonl", header, reveal_values=True)
    for ts in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="finite ts"):
            writer.write([Marker(marker="launched", ts=ts, source="host")])
    writer.close(TraceEnd(ts=math.nan, reason="completed"))
    text = (tmp_path / "t.jsonl").read_text()
    assert "NaN" not in text and "null" not in text.splitlines()[-1].split('"ts":')[1][:5]
    _read_all(tmp_path / "t.jsonl")
    with pytest.raises(ValueError, match="finite"):
        TraceWriter(tmp_path / "u.jsonl", header.model_copy(update={"clock_offset_ms": math.nan}))


def test_deeply_nested_detail_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = _valid(tmp_path)
    deep = "[" * 100_000 + "]" * 100_000
    with path.open("a") as handle:
        handle.write(
            '{"kind":"marker","marker":"step","ts":1.0,"source":"host","detail":{"d":'
            + deep
            + "}}\n"
        )
    with pytest.raises(TraceError) as info:
        _read_all(path)
    assert info.value.line == len(path.read_text().splitlines())


_JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.sampled_from(["NaN", "Infinity"]),
)
_JSON = st.recursive(
    _JSON_SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_KEYS = [
    "kind",
    "seq",
    "ts",
    "pid",
    "tid",
    "thread",
    "api",
    "category",
    "args",
    "ret",
    "stack",
    "stack_ref",
    "marker",
    "source",
    "detail",
    "level",
    "code",
    "message",
    "reason",
    "id",
    "frames",
    "events",
]


@st.composite
def _mutation(draw: st.DrawFn) -> tuple[int, str]:
    """(line index, new text) for one line of a valid trace."""
    how = draw(st.sampled_from(["set", "drop", "raw", "cut", "literal"]))
    return draw(st.integers(0, 20)), how + "\0" + json.dumps(
        [draw(st.sampled_from(_KEYS)), draw(_JSON)], allow_nan=False
    ) + "\0" + draw(st.sampled_from(["NaN", "-Infinity", "1e999", "", "{", "]", "\udcff"]))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(_mutation(), min_size=1, max_size=3))
def test_fuzzed_traces_fail_only_with_trace_errors(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[tuple[int, str]]
) -> None:
    base = _BASE.get("path")
    if base is None:
        base = _valid(tmp_path_factory.mktemp("fuzz"))
        _BASE["path"] = base
        _BASE["lines"] = base.read_text().splitlines()
    lines = list(_BASE["lines"])  # type: ignore[arg-type]
    for index, spec in mutations:
        index %= len(lines)
        how, payload, literal = spec.split("\0")
        key, value = json.loads(payload)
        try:
            record = json.loads(lines[index])
        except ValueError:
            record = None  # an earlier mutation broke this line already
        if not isinstance(record, dict):
            record = {}
        if how == "set":
            record[key] = value
            lines[index] = json.dumps(record, ensure_ascii=False)
        elif how == "drop":
            record.pop(key, None)
            lines[index] = json.dumps(record, ensure_ascii=False)
        elif how == "raw":
            lines[index] = json.dumps(value, ensure_ascii=False)
        elif how == "cut":
            lines[index] = lines[index][: len(lines[index]) // 2]
        else:
            lines[index] = lines[index].replace(":", ":" + literal, 1)
    path = base.with_name("fuzzed.jsonl")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    try:
        _read_all(path)
    except TraceError as err:
        assert err.path == str(path)
        assert err.line is not None or "empty file" in err.detail, str(err)


_BASE: dict[str, object] = {}
