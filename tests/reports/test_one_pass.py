"""The report's digest made on the scorer's one pass: the same pictures as a digest of
the trace on its own, from one read of the trace (issue 12 item 3)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.model import CallEvent, Marker, TraceEnd, TraceHeader
from harness.reports.digest import TraceDigest, digest_trace, score_and_digest, take_digest
from harness.scoring import score
from harness.tracefile import CallSpan, TraceFile, TraceWriter, open_trace
from tests.reports.conftest import agree_trace, header, refuse_trace, write_trace

TESTS = Path(__file__).resolve().parents[1]
#: Every trace file the tests hold (golden traces of scoring and reports among them).
TRACE_FILES = sorted(p for p in TESTS.rglob("*.jsonl") if "golden" in p.parts)


def _comparable(d: TraceDigest) -> dict[str, Any]:
    out = {f.name: getattr(d, f.name) for f in dataclasses.fields(d)}
    tl = out.pop("timeline")
    out["timeline"] = (tl.consent, tl.times, tl.seqs, tl.after)
    return out


def _span(trace: TraceFile) -> CallSpan:
    ts = [r.ts for r in trace.records() if type(r) is CallEvent]
    return CallSpan(len(ts), min(ts, default=0.0), max(ts, default=0.0))


def _one_pass(path: Path) -> TraceDigest:
    trace = open_trace(path)
    package = trace.header.app.package
    score_and_digest(open_trace(path), markers=list(trace.markers()), span=_span(trace),
                     app_package=package)
    digest = take_digest(path, package)
    assert digest is not None
    return digest


def _scripted_agree(tmp: Path) -> Path:
    """A format-3 trace whose agent consent moments are derived (not written)."""
    from harness.ui.matchers import DEFAULT_CONSENT_MATCHERS
    from tests.scoring.test_consent_moments import scripted_agree

    records: list[Any] = [header(consent_patterns=DEFAULT_CONSENT_MATCHERS.patterns())]
    for m in scripted_agree():
        records.append(m)
    records += [r for r in agree_trace() if type(r) is CallEvent]
    records.append(TraceEnd(ts=records[-1].ts + 10, reason="completed"))
    return write_trace(tmp / "derived.jsonl", records)


def test_there_are_golden_traces_to_compare() -> None:
    assert len(TRACE_FILES) >= 20


@pytest.mark.parametrize("path", TRACE_FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_one_pass_digest_is_the_two_pass_digest(path: Path) -> None:
    try:
        trace = open_trace(path)
        report = score(trace)
    except Exception as exc:  # noqa: BLE001 — an unreadable golden trace: not this test's
        pytest.skip(f"not scorable: {exc}")
    seqs = [e.seq for r in report.rules for e in r.evidence]
    alone = digest_trace(path, evidence_seqs=seqs, app_package=trace.header.app.package)
    assert alone.error is None
    assert _comparable(_one_pass(path)) == _comparable(alone)


def _body(records: list[Any]) -> list[Any]:
    return [r for r in records if not isinstance(r, TraceEnd | TraceHeader)]


def test_derived_consent_moments_are_drawn_alike(tmp_path: Path) -> None:
    path = _scripted_agree(tmp_path)
    trace = open_trace(path)
    report = score(trace)
    assert report.consent.granted_source == "agent"  # derived: not in the file
    alone = digest_trace(path, evidence_seqs=[e.seq for r in report.rules for e in r.evidence])
    assert any(m.source == "agent" and m.kind.value == "consent_granted" for m in alone.markers)
    assert _comparable(_one_pass(path)) == _comparable(alone)


class _CountingTrace:
    """A trace file that counts how often it is read."""

    def __init__(self, path: Path) -> None:
        self._file = open_trace(path)
        self.path = path
        self.header = self._file.header
        self.reads = 0

    def records(self) -> Iterator[Any]:
        self.reads += 1
        return self._file.records()

    def markers(self) -> Iterator[Marker]:
        self.reads += 1
        return self._file.markers()


def test_a_written_trace_is_read_once_for_verdicts_and_digest(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    records = _body(agree_trace())
    with TraceWriter(path, header(), reveal_values=True) as writer:
        writer.write(records)
    counted = _CountingTrace(path)
    report = score_and_digest(counted, markers=writer.markers, span=writer.span,  # type: ignore[arg-type]
                              app_package="com.example.app")
    assert counted.reads == 1
    assert report.model_dump() == score(open_trace(path)).model_dump()
    digest = take_digest(path, "com.example.app")
    assert digest is not None and digest.calls == 4
    assert take_digest(path, "com.example.app") is None  # handed over once


def test_writer_knows_the_markers_and_the_calls_time_range(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    records = _body(refuse_trace())
    with TraceWriter(path, header()) as writer:  # redacted: the kept markers are too
        writer.write(records)
    trace = open_trace(path)
    assert writer.markers == list(trace.markers())
    assert writer.span == _span(trace)


def test_writer_stops_keeping_markers_past_its_limit(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.tracefile import writer as writer_mod

    monkeypatch.setattr(writer_mod, "MAX_KEPT_MARKERS", 2)
    markers = [r for r in agree_trace() if isinstance(r, Marker)]
    assert len(markers) > 2
    with TraceWriter(tmp_path / "t.jsonl", header()) as writer:
        writer.write(markers)
    assert writer.markers is None  # the scorer then reads them from the file


def test_a_changed_trace_gets_no_stale_digest(tmp_path: Path) -> None:
    path = write_trace(tmp_path / "t.jsonl", agree_trace())
    trace = open_trace(path)
    score_and_digest(trace, markers=list(trace.markers()), span=_span(trace),
                     app_package="com.example.app")
    with path.open("ab") as fh:
        fh.write(b"\n")
    assert take_digest(path, "com.example.app") is None


def test_counts_add_up_when_keys_are_flushed_often(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from collections import Counter

    from harness.reports import digest as digest_mod

    path = write_trace(tmp_path / "t.jsonl", agree_trace())
    calls = [r for r in open_trace(path).records() if type(r) is CallEvent]
    whole = digest_trace(path)
    monkeypatch.setattr(digest_mod, "_PENDING", 1)  # add up after every distinct key
    flushed = digest_trace(path)
    assert flushed.by_category == Counter(c.category.value for c in calls) == whole.by_category
    assert list(flushed.by_phase.items()) == list(whole.by_phase.items())
    assert [(r.sdk, r.total, dict(r.by_category)) for r in flushed.sdks] == \
        [(r.sdk, r.total, dict(r.by_category)) for r in whole.sdks]
    assert sum(r.total for r in flushed.sdks) == len(calls)
