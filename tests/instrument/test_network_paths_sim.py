"""Bytes that bypass java.net.Socket's streams, and HTTP clients above them, end to end: real
adb, real Frida, the real agent in the sim app com.example.beacon, whose ad SDK sends
ANDROID_ID as Base64 over an NIO SocketChannel (a gathering write: the JDK's native writev)
and as SHA-256 in the query of an HttpURLConnection GET, and whose push SDK POSTs its MD5 in
a header through the simulator's okhttp3 stand-in — all before the consent dialog exists.

Each path has its own hook (libc exits, sun.net.www.http.HttpClient.writeRequests,
okhttp3.internal.http.CallServerInterceptor.intercept); without it the test of that path
fails (the NIO bytes are not seen at all; the HTTP requests are seen only as socket writes
without a URL). One event per bytes: no socket write repeats an HTTP request's bytes.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from typing import Any

import pytest

from harness.model import CallEvent, Marker, MarkerKind
from tests.hooks.probe import require_tools
from tests.instrument.test_transmission_sim import _launch, _records, _sent

PACKAGE = "com.example.beacon"
HUC = "sun.net.www.http.HttpClient.writeRequests"
OKHTTP = "okhttp3.internal.http.CallServerInterceptor.intercept"


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Any]]:
    require_tools()
    from harness.device import AdbServer, connect
    from harness.sim import SimCluster

    path = tmp_path_factory.mktemp("beacon") / "beacon.jsonl"
    with SimCluster(count=1, preinstall=True) as cluster:
        adb = AdbServer(host=cluster.adb_host, port=cluster.adb_port)
        device = connect(cluster.serials[0], adb)
        app = _launch(device, PACKAGE, path, reveal=True)
        try:
            deadline = time.monotonic() + 120
            while app.alive and time.monotonic() < deadline:
                app.flush()
                hooks = {m.detail["hook"] for m in _sent(_records(path)) if m.detail["matches"]}
                if {"libc.writev", HUC, OKHTTP} <= hooks:
                    break
                time.sleep(0.2)
        finally:
            app.stop()
        yield _records(path)


def _android_id(records: list[Any]) -> CallEvent:
    return next(r for r in records if isinstance(r, CallEvent)
                and r.api == "settings.secure.android_id" and r.ret)


def _one(records: list[Any], hook: str) -> dict[str, Any]:
    found = [m.detail for m in _sent(records) if m.detail["hook"] == hook]
    assert len(found) == 1, (hook, [m.detail["hook"] for m in _sent(records)])
    return found[0]


def _forms(detail: dict[str, Any]) -> list[tuple[str, str]]:
    return [(x["api"], x["form"]) for x in detail["matches"]]


def test_nio_socket_channel_is_seen_at_the_native_exit(recording: list[Any]) -> None:
    d = _one(recording, "libc.writev")
    assert _forms(d) == [("settings.secure.android_id", "base64")]
    assert d["layer"] == "socket" and d["address"] == "127.0.0.1"
    assert isinstance(d["port"], int) and d["port"] > 0 and isinstance(d["thread"], str)
    # both buffers of the gathering write, whole
    body = base64.b64decode(d["payload"])
    aid = _android_id(recording).ret
    assert aid is not None
    assert body.startswith(b"BCN/1 aid=" + base64.b64encode(aid.encode()))
    assert d["size"] == d["captured"] == len(body)
    # the Java stack of the thread that made the native call names the SDK
    assert d["sdk_prefix"] == "com.example.sdk.ads."
    assert d["frame"].startswith("com.example.sdk.ads.AdBeacon.channel(")


def test_http_url_connection_request_names_its_url(recording: list[Any]) -> None:
    d = _one(recording, HUC)
    aid = _android_id(recording).ret
    assert aid is not None
    assert d["layer"] == "http" and d["method"] == "GET" and d["secure"] is False
    # the URL as evidence: host and path, the query's names without their values
    assert d["url"] == "http://track.ads.example/v1/imp?aid=&slot="
    assert _forms(d) == [("settings.secure.android_id", "sha256")]
    request = base64.b64decode(d["payload"]).decode()
    assert request.startswith("GET http://track.ads.example/v1/imp?aid="
                              + hashlib.sha256(aid.encode()).hexdigest())
    assert "\r\nX-Ad-Sdk: 4.0.2\r\n" in request
    assert d["address"] == "127.0.0.1" and d["frame"].startswith("com.example.sdk.ads.AdBeacon.")


def test_okhttp_request_is_hooked_in_the_apps_loader(recording: list[Any]) -> None:
    d = _one(recording, OKHTTP)
    assert d["layer"] == "http" and d["method"] == "POST"
    assert d["url"] == "http://api.push.example/v2/register"
    assert _forms(d) == [("settings.secure.android_id", "md5")]
    request = base64.b64decode(d["payload"]).decode()
    assert "\r\nX-Device-Token: " in request and request.endswith('"sdk":"2.1.0"}')
    # attribution looks past OkHttp's own frames to the SDK that made the call
    assert d["sdk_prefix"] == "com.example.sdk.push."
    assert d["frame"].startswith("com.example.sdk.push.PushRegistrar.")
    # the hook went in from the late hooks, before any code of the app's loader ran
    ready = [r for r in recording if isinstance(r, Marker) and r.marker is MarkerKind.HOOKS_READY]
    assert OKHTTP in ready[0].detail["network"]["pending"]
    assert OKHTTP in ready[-1].detail["network"]["installed"]


def test_one_event_per_bytes(recording: list[Any]) -> None:
    sent = [m.detail for m in _sent(recording)]
    by_thread: dict[str, list[str]] = {}
    for d in sent:
        by_thread.setdefault(d["thread"], []).append(d["hook"])
    # the HTTP requests' socket writes (and the native writes under every Java write) are
    # not reported again; nothing of the app <-> device bridge is reported either
    assert sorted(by_thread["ad-beacon"]) == sorted(["libc.writev", HUC]), by_thread
    assert by_thread["push-register"] == [OKHTTP], by_thread
    assert all(d["format"] == "text" for d in sent), sent


def test_hooks_ready_lists_the_native_exits_and_ssl_write_absent(recording: list[Any]) -> None:
    ready = next(r for r in recording
                 if isinstance(r, Marker) and r.marker is MarkerKind.HOOKS_READY)
    network = ready.detail["network"]
    assert {"libc.write", "libc.writev", "libc.send", "libc.sendto", "libc.sendmsg", HUC} <= set(
        network["installed"]), network
    # the JDK's TLS is pure Java: no libssl in the JVM, SSL_write is listed as absent
    assert "SSL_write" in network["absent"], network
    assert network["failed"] == []
    assert network["preexisting_fds"] >= 1  # the device bridge, open before the hooks
