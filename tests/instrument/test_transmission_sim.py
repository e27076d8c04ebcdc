"""Personal information seen leaving a sim app, end to end: real adb, real Frida, the real
agent in a real sim app JVM whose analytics SDK uploads the hashed ANDROID_ID to the
simulator's loopback collector — MD5 over a plain socket, SHA-256 over the JDK's TLS."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.model import CallEvent, Marker, MarkerKind
from tests.hooks.probe import require_tools


@pytest.fixture(scope="module")
def device() -> Iterator[Any]:
    require_tools()
    from harness.device import AdbServer, connect
    from harness.sim import SimCluster

    with SimCluster(count=1, preinstall=True) as cluster:
        yield connect(cluster.serials[0], AdbServer(host=cluster.adb_host, port=cluster.adb_port))


def _launch(device: Any, package: str, path: Path, *, reveal: bool) -> Any:
    from harness.catalog import load_catalog
    from harness.instrument import LaunchInfo, launch
    from harness.model import AppInfo, TraceHeader
    from harness.tracefile import TraceWriter

    catalog = load_catalog()

    def writer(info: LaunchInfo) -> TraceWriter:
        header = TraceHeader(
            created_at="2024-01-01T00:00:00Z", harness_version="test",
            app=AppInfo(package=package), catalog_hash=catalog.hash,
            clock_offset_ms=info.clock_offset_ms,
        )
        return TraceWriter(path, header, reveal_values=reveal, salt=b"test-salt")

    return launch(device, package, writer, catalog=catalog)


def _records(path: Path) -> list[Any]:
    from harness.tracefile import open_trace

    return list(open_trace(path).records())


def _sent(records: list[Any]) -> list[Marker]:
    return [r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.DATA_SENT]


def _matched_layers(records: list[Any]) -> set[str]:
    return {m.detail["layer"] for m in _sent(records) if m.detail["matches"]}


def _record_news(device: Any, path: Path, *, reveal: bool) -> list[Any]:
    app = _launch(device, "com.example.news", path, reveal=reveal)
    try:
        deadline = time.monotonic() + 120
        while app.alive and time.monotonic() < deadline:
            app.flush()
            if _matched_layers(_records(path)) >= {"socket", "tls"}:
                break
            time.sleep(0.2)
    finally:
        app.stop()
    return _records(path)


def test_hashed_android_id_seen_on_the_plain_and_the_tls_path(device: Any, tmp_path: Path) -> None:
    records = _record_news(device, tmp_path / "news.jsonl", reveal=True)
    ready = next(r for r in records if isinstance(r, Marker) and r.marker is MarkerKind.HOOKS_READY)
    assert set(ready.detail["network"]["layers"]) == {"socket", "tls"}, ready.detail["network"]
    android_id = next(r for r in records if isinstance(r, CallEvent)
                      and r.api == "settings.secure.android_id")
    sent = [m for m in _sent(records) if m.detail["matches"]]
    by_layer = {m.detail["layer"]: m for m in sent}
    assert set(by_layer) == {"socket", "tls"}, [m.detail for m in _sent(records)]
    plain, tls = by_layer["socket"].detail, by_layer["tls"].detail
    assert [(x["api"], x["form"], x["call_seq"]) for x in plain["matches"]] == [
        ("settings.secure.android_id", "md5", android_id.seq)]
    assert [(x["api"], x["form"]) for x in tls["matches"]] == [
        ("settings.secure.android_id", "sha256")]
    for detail in (plain, tls):
        assert detail["address"] == "127.0.0.1" and isinstance(detail["port"], int)
        assert detail["sdk_prefix"] == "com.example.sdk.analytics."
        assert detail["frame"].startswith("com.example.sdk.analytics.AnalyticsAgent.")
    # TLS is seen in clear by its own hook, and its records are not reported again below it
    assert tls["hook"] == "sun.security.ssl.SSLSocketImpl$AppOutputStream.write"
    assert tls["format"] == "text" and tls["readable"]
    assert not any(m.detail["format"].startswith("tls") for m in _sent(records))
    # the revealed payload is the SDK's own form: the hash of the id the hook returned
    import base64

    body = base64.b64decode(plain["payload"]).decode()
    assert body == "did=" + hashlib.md5(android_id.ret.encode()).hexdigest() + body[36:]
    # the device's own channel (the app <-> device bridge, open before the hooks) is not traffic
    assert ready.detail["network"]["preexisting"] >= 1
    assert all(m.detail["port"] != 0 for m in _sent(records))


def test_a_redacted_trace_keeps_no_payload_and_no_value(device: Any, tmp_path: Path) -> None:
    from harness.tracefile.follow import encodings

    android_id = device.shell(["settings", "get", "secure", "android_id"]).stdout.strip()
    assert len(android_id) >= 8, android_id
    path = tmp_path / "news.jsonl"
    records = _record_news(device, path, reveal=False)
    sent = _sent(records)
    assert _matched_layers(records) == {"socket", "tls"}
    assert all("payload" not in m.detail for m in sent)
    assert all(len(m.detail["sha256"].replace(" ", "")) == 64 for m in sent)
    text = path.read_text(encoding="utf-8").lower()
    # neither the id nor any form of it the SDK could have sent is in the trace
    assert android_id.lower() in encodings(android_id)
    assert not [form for form in encodings(android_id) if form.lower() in text]
