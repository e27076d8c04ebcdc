"""The matcher of personal information in network writes, and the data_sent markers the
translator makes of the agent's ``net`` items (pure: no Frida)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from typing import Any

import pytest

from harness.instrument.messages import EventsBatch, parse_message
from harness.instrument.translate import Translator
from harness.instrument.transmission import Origin, TransmissionMatcher, payload_format
from harness.model import Marker, MarkerKind
from harness.model.trace import TraceHeader
from harness.tracefile import MemoryTrace

ANDROID_ID = "9774d56d682e549c"
MAC = "02:00:00:44:55:66"
ORIGIN = Origin(seq=3, pid=100, api="settings.secure.android_id", category="device_id",
                data="android_id")


def _matcher(*values: str) -> TransmissionMatcher:
    m = TransmissionMatcher()
    for v in values:
        m.learn_call(v, ORIGIN)
    return m


def _forms(matcher: TransmissionMatcher, data: bytes) -> set[str]:
    return {x["form"] for x in matcher.find(data)}


@pytest.mark.parametrize(("payload", "form"), [
    (f"did={ANDROID_ID}&v=1".encode(), "plain"),
    (f"DID={ANDROID_ID.upper()}".encode(), "plain"),
    (hashlib.md5(ANDROID_ID.encode()).hexdigest().encode(), "md5"),
    (hashlib.md5(ANDROID_ID.upper().encode()).hexdigest().upper().encode(), "md5"),
    (b'{"h":"' + hashlib.sha1(ANDROID_ID.encode()).hexdigest().encode() + b'"}', "sha1"),
    (b"x" + hashlib.sha256(ANDROID_ID.encode()).hexdigest().encode(), "sha256"),
    (b"id=" + base64.b64encode(ANDROID_ID.encode()), "base64"),
])
def test_each_encoding_is_found(payload: bytes, form: str) -> None:
    assert _forms(_matcher(ANDROID_ID), payload) == {form}


def test_separators_removed_and_gzip_bodies() -> None:
    m = _matcher(MAC)
    assert _forms(m, b"mac=020000445566") == {"plain"}
    body = gzip.compress(json.dumps({"mac": MAC}).encode())
    assert _forms(m, b"POST / HTTP/1.1\r\nContent-Encoding: gzip\r\n\r\n" + body) == {"plain+gzip"}


def test_a_value_split_over_two_writes_of_one_connection_is_found_once() -> None:
    m = _matcher(ANDROID_ID)
    conn = (100, 5000, "127.0.0.1", 443, "socket")
    assert m.find(b"POST /c HTTP/1.1\r\n\r\ndid=" + ANDROID_ID[:7].encode(), conn) == []
    assert _forms_of(m.find(ANDROID_ID[7:].encode() + b"&x=1", conn)) == {"plain"}
    # the next write does not report it again
    assert m.find(b"&more=1", conn) == []
    # another connection does not see this one's tail
    assert m.find(ANDROID_ID[7:].encode(), (100, 5001, "127.0.0.1", 443, "socket")) == []


def _forms_of(items: list[dict[str, Any]]) -> set[str]:
    return {x["form"] for x in items}


def test_no_match_on_unrelated_bytes() -> None:
    m = _matcher(ANDROID_ID, MAC, "861234567890123")
    assert m.find(b"GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n") == []
    assert m.find(bytes(range(256)) * 64) == []
    assert m.find(hashlib.md5(b"something else").hexdigest().encode()) == []
    # short values are never learned: they would match anywhere
    short = _matcher("12345")
    assert short.find(b"12345") == [] and len(short) == 0


def test_values_inside_object_summaries_are_learned() -> None:
    m = TransmissionMatcher()
    m.learn_call(f"WifiInfo[SSID: home, BSSID: {MAC}, speed 54]", ORIGIN)
    assert _forms(m, b"bssid=" + MAC.encode()) == {"plain"}


def test_formats() -> None:
    assert payload_format(b"\x17\x03\x03\x00\x20" + b"\x00" * 32, "socket") == ("tls_record", False)
    hello = b"\x16\x03\x01\x00\x20" + b"\x00" * 32
    assert payload_format(hello, "socket") == ("tls_handshake", True)
    assert payload_format(b"\x17\x03\x03\x00\x20", "tls") == ("binary", True)
    assert payload_format(b"hello world", "socket") == ("text", True)


# ------------------------------------------------------------------- translator


class _Entry:
    def __init__(self, category: str, data: str) -> None:
        from harness.model.enums import Category

        self.category = Category(category)
        self.data = data


class _Catalog:
    hash = "test"

    def for_agent(self) -> list[dict[str, Any]]:
        return []

    def get(self, entry_id: str) -> Any:
        return {"settings.secure.android_id": _Entry("device_id", "android_id")}.get(entry_id)


SDK_STACK = ["java.net.Socket$SocketOutputStream.write(Socket.java:1035)",
             "com.example.sdk.analytics.AnalyticsAgent.post(AnalyticsAgent.java:102)"]


def _batch(payload: bytes, *, size: int | None = None) -> EventsBatch:
    return parse_message({
        "type": "events", "seq": 0, "pid": 100,
        "stacks": {"0": ["android.provider.Settings$Secure.getString(Settings.java:1)",
                         "com.example.sdk.analytics.AnalyticsAgent.collect(A.java:5)"]},
        "events": [
            {"type": "call", "seq": 0, "ts": 10, "tid": 1, "thread": "main",
             "id": "settings.secure.android_id", "args": ["<resolver>", "android_id"],
             "ret": ANDROID_ID, "stack": 0},
            {"type": "net", "seq": 1, "ts": 20, "tid": 7, "thread": "analytics-upload",
             "hook": "java.net.Socket$SocketOutputStream.write", "layer": "socket",
             "address": "127.0.0.1", "port": 4711, "local_port": 5000,
             "size": len(payload) if size is None else size,
             "payload": base64.b64encode(payload).decode(), "stack": SDK_STACK},
        ],
    })


def _sent(translator: Translator, batch: EventsBatch) -> Marker:
    records = translator.batch(batch, 30)
    (marker,) = [r for r in records if isinstance(r, Marker)]
    assert marker.marker is MarkerKind.DATA_SENT
    return marker


def test_the_marker_names_the_call_and_form_never_the_value_nor_the_payload() -> None:
    digest = hashlib.md5(ANDROID_ID.encode()).hexdigest()
    payload = f"did={digest}&b64={base64.b64encode(ANDROID_ID.encode()).decode()}".encode()
    marker = _sent(Translator(_Catalog(), "com.example.news"), _batch(payload))
    d = marker.detail
    assert {(m["api"], m["form"], m["call_seq"]) for m in d["matches"]} == {
        ("settings.secure.android_id", "md5", 0), ("settings.secure.android_id", "base64", 0)}
    assert (d["address"], d["port"], d["size"], d["captured"]) == ("127.0.0.1", 4711,
                                                                   len(payload), len(payload))
    assert d["sha256"].replace(" ", "") == hashlib.sha256(payload).hexdigest()
    assert d["sdk_prefix"] == "com.example.sdk.analytics." and d["frame"] == SDK_STACK[1]
    text = marker.model_dump_json()
    assert "payload" not in d
    for secret in (ANDROID_ID, digest, base64.b64encode(ANDROID_ID.encode()).decode().rstrip("=")):
        assert secret.lower() not in text.lower()


def test_payload_kept_only_when_values_are_revealed() -> None:
    translator = Translator(_Catalog(), "com.example.news")
    translator.keep_payloads = True
    marker = _sent(translator, _batch(b"hello"))
    assert base64.b64decode(marker.detail["payload"]) == b"hello"
    assert marker.detail["matches"] == []


def test_a_cut_payload_says_so() -> None:
    marker = _sent(Translator(_Catalog(), "com.example.news"), _batch(b"x" * 10, size=100_000))
    assert (marker.detail["size"], marker.detail["captured"]) == (100_000, 10)


def test_the_redacting_writer_keeps_the_marker_readable(tmp_path: Any) -> None:
    from harness.model import AppInfo
    from harness.tracefile import TraceWriter, open_trace

    translator = Translator(_Catalog(), "com.example.news")
    digest = hashlib.md5(ANDROID_ID.encode()).hexdigest()
    records = translator.batch(_batch(f"did={digest}".encode()), 30)
    header = TraceHeader(created_at="2024-01-01T00:00:00Z", harness_version="t",
                         app=AppInfo(package="com.example.news"), catalog_hash="t")
    path = tmp_path / "t.jsonl"
    with TraceWriter(path, header, salt=b"s") as writer:
        writer.write(records)
    trace = open_trace(path)
    marker = next(r for r in trace.records() if isinstance(r, Marker))
    assert marker.detail["sha256"] == records[1].detail["sha256"]  # type: ignore[union-attr]
    assert marker.detail["matches"][0]["form"] == "md5"
    assert ANDROID_ID not in path.read_text() and digest not in path.read_text()
    assert isinstance(MemoryTrace(header=trace.header, body=tuple(trace.records())), MemoryTrace)
