"""Writer → reader round trip on arbitrary values, including text that looks like JSON
syntax (the reader's fast path must never be fooled by a frame or argument)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.model import CallEvent, Category, Marker, MarkerKind, TraceIssue
from harness.testing import T0, TraceBuilder
from harness.tracefile import TraceWriter, open_trace

tricky = st.sampled_from(
    ['"stack":[', ',"stack":["x"]}', "]}", "\\", '"', "\n", "…", "同意", "\u2028", ""]
)
texts = st.lists(st.text(max_size=12) | tricky, max_size=3).map("".join)
calls = st.builds(
    CallEvent,
    seq=st.integers(0, 2**40),
    ts=st.floats(0, 2e12, allow_nan=False),
    pid=st.integers(0, 99999),
    tid=st.integers(0, 99999),
    thread=texts,
    api=st.sampled_from(["telephony.imei", "permission.activity"]),
    category=st.sampled_from(list(Category)),
    args=st.lists(texts, max_size=3),
    ret=st.none() | texts,
    threw=st.none() | texts,
    stack=st.lists(texts, max_size=4),
)
markers = st.builds(
    Marker,
    marker=st.sampled_from(list(MarkerKind)),
    ts=st.floats(0, 2e12, allow_nan=False),
    source=st.sampled_from(["agent", "host"]),
    seq=st.none() | st.integers(0, 1000),
    detail=st.dictionaries(texts, texts | st.integers(), max_size=2),
)
issues = st.builds(
    TraceIssue,
    ts=st.just(T0),
    level=st.sampled_from(["warning", "error"]),
    code=texts,
    message=texts,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(calls | markers | issues, max_size=15))
def test_what_is_written_is_read_back(records: list[CallEvent | Marker | TraceIssue]) -> None:
    header = TraceBuilder().build().header
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.jsonl"
        # Write twice over: the second batch repeats stacks, exercising the stack cache.
        with TraceWriter(path, header, reveal_values=True) as writer:
            writer.write(records)
            writer.write(records)
        read = list(open_trace(path).records())
    assert read[:-1] == records + records
