"""HTTP-level and native network items on the host (pure: no Frida): the request's URL and
method reach the data_sent marker, attribution looks past shared HTTP libraries, and the
rule's evidence names the URL and then the peer."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from harness.instrument.messages import EventsBatch, parse_message
from harness.instrument.translate import Translator
from harness.instrument.transmission import caller_frames
from harness.model import Marker, MarkerKind
from harness.model.enums import Phase
from tests.instrument.test_transmission import ANDROID_ID, _Catalog

OKHTTP_STACK = [
    "okhttp3.internal.http.CallServerInterceptor.intercept(CallServerInterceptor.java:43)",
    "okhttp3.internal.http.RealInterceptorChain.proceed(RealInterceptorChain.java:25)",
    "okio.RealBufferedSink.flush(RealBufferedSink.kt:267)",
    "okhttp3.RealCall.execute(RealCall.java:27)",
    "com.example.sdk.push.PushRegistrar.lambda$register$0(PushRegistrar.java:45)",
    "java.lang.Thread.run(Thread.java:840)",
]


def test_caller_frames_skip_http_libraries_only_when_someone_called_them() -> None:
    assert caller_frames(OKHTTP_STACK)[0].startswith("com.example.sdk.push.PushRegistrar.")
    # OkHttp's own dispatcher thread (an enqueued call): the library is all there is
    dispatcher = [OKHTTP_STACK[0], "okhttp3.RealCall$AsyncCall.execute(RealCall.java:1)",
                  "java.util.concurrent.ThreadPoolExecutor.runWorker(T.java:1)",
                  "java.lang.Thread.run(Thread.java:840)"]
    assert caller_frames(dispatcher) == dispatcher
    plain = ["java.net.Socket$SocketOutputStream.write(Socket.java:1)", "com.x.Sdk.m(Sdk.java:2)"]
    assert caller_frames(plain) is plain


def _batch(item: dict[str, Any]) -> EventsBatch:
    return parse_message({
        "type": "events", "seq": 0, "pid": 100, "stacks": {"0": ["a.B.c(B.java:1)"]},
        "events": [
            {"type": "call", "seq": 0, "ts": 10, "tid": 1, "thread": "main",
             "id": "settings.secure.android_id", "args": [], "ret": ANDROID_ID, "stack": 0},
            {"type": "net", "seq": 1, "ts": 20, "tid": 7, "thread": "push-register",
             "address": "127.0.0.1", "port": 4711, "local_port": 5000, **item},
        ],
    })


def _marker(item: dict[str, Any]) -> Marker:
    records = Translator(_Catalog(), "com.example.beacon").batch(_batch(item), 30)
    (marker,) = [r for r in records if isinstance(r, Marker)]
    assert marker.marker is MarkerKind.DATA_SENT
    return marker


def _request(md5: str) -> bytes:
    return (f"POST http://api.push.example/v2/register HTTP/1.1\r\nX-Device-Token: {md5}\r\n"
            "Content-Length: 2\r\n\r\n{}").encode()


def test_an_http_item_carries_url_method_and_blames_the_sdk_below_okhttp() -> None:
    md5 = hashlib.md5(ANDROID_ID.encode()).hexdigest()
    payload = _request(md5)
    d = _marker({
        "hook": "okhttp3.internal.http.CallServerInterceptor.intercept", "layer": "http",
        "size": len(payload), "payload": base64.b64encode(payload).decode(),
        "url": "http://api.push.example/v2/register", "method": "POST", "secure": False,
        "stack": OKHTTP_STACK,
    }).detail
    assert (d["layer"], d["url"], d["method"], d["secure"]) == (
        "http", "http://api.push.example/v2/register", "POST", False)
    assert [(m["api"], m["form"]) for m in d["matches"]] == [("settings.secure.android_id", "md5")]
    assert d["format"] == "text" and d["readable"] is True
    assert d["frame"].startswith("com.example.sdk.push.PushRegistrar.")


def test_a_native_write_without_http_fields_has_none_in_its_marker() -> None:
    payload = b"aid=" + base64.b64encode(ANDROID_ID.encode())
    d = _marker({"hook": "libc.writev", "layer": "socket", "size": len(payload),
                 "payload": base64.b64encode(payload).decode(), "stack": None}).detail
    assert not {"url", "method", "secure"} & set(d)
    assert [m["form"] for m in d["matches"]] == ["base64"]


def test_the_rule_names_the_url_then_the_peer() -> None:
    from harness.scoring.checklist.transmission import describe

    class _Consent:
        granted_ts = 3020.0
        refused_ts = None
        withdrawn_ts: list[float] = []

    class _Timeline:
        consent = _Consent()

    class _Ctx:
        timeline = _Timeline()

    def text(**detail: Any) -> str:
        marker = Marker(marker=MarkerKind.DATA_SENT, ts=20.0, source="agent", seq=1, detail={
            "matches": [{"data": "android_id", "form": "sha256"}], "address": "127.0.0.1",
            "port": 4711, "sdk": "Example Ads (simulated)", "sdk_prefix": "com.example.sdk.ads.",
            **detail})
        return describe(marker, Phase.PRE_CONSENT, _Ctx())  # type: ignore[arg-type]

    assert text(layer="http", url="http://track.ads.example/v1/imp?aid=&slot=", secure=False) == (
        "ANDROID_ID (SHA256 form) sent to http://track.ads.example/v1/imp?aid=&slot= "
        "(127.0.0.1:4711) by com.example.sdk.ads, 3.0 s before consent")
    assert text(layer="http", url="https://a.example/c", secure=True).endswith(
        "(127.0.0.1:4711) over TLS by com.example.sdk.ads, 3.0 s before consent")
    assert text(layer="socket").startswith("ANDROID_ID (SHA256 form) sent to 127.0.0.1:4711 by ")
