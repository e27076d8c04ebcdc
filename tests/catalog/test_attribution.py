"""SDK attribution: which code a call is blamed on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.catalog import SDK_KINDS, Attributor, attribute, load_sdk_table
from harness.errors import CatalogError

HOOKED = "android.telephony.TelephonyManager.getDeviceId(Native Method)"
LOOPER = [
    "android.os.Handler.dispatchMessage(Handler.java:99)",
    "android.os.Looper.loop(Looper.java:223)",
    "java.lang.Thread.run(Thread.java:923)",
]


def test_known_sdk_after_framework_frames() -> None:
    stack = [
        HOOKED,
        "android.app.ContextImpl.getSystemService(ContextImpl.java:1)",
        "com.umeng.commonsdk.statistics.idtracking.ImeiTracker.a(Unknown Source:12)",
        "com.example.news.App.onCreate(App.java:20)",
        *LOOPER,
    ]
    got = attribute(stack, "com.example.news")
    assert (got.sdk, got.kind, got.prefix) == ("Umeng", "analytics", "com.umeng.")
    assert got.frame == stack[2]


def test_longest_prefix_wins() -> None:
    push = attribute(["com.umeng.message.PushAgent.register(PushAgent.java:3)"], None)
    assert (push.sdk, push.kind) == ("Umeng Push", "push")
    ads_id = attribute(["com.google.android.gms.ads.identifier.X.y(X.java:1)"], None)
    assert ads_id.prefix == "com.google.android.gms.ads.identifier."
    gms = attribute(["com.google.android.gms.common.Z.y(Z.java:1)"], None)
    assert (gms.sdk, gms.prefix) == ("Google Play services", "com.google.android.gms.")


def test_gms_is_an_sdk_not_the_framework() -> None:
    got = attribute([HOOKED, "com.google.android.gms.location.Fused.get(Fused.java:5)"], None)
    assert got.kind == "maps"


def test_app_frame() -> None:
    stack = [HOOKED, "com.example.news.MainActivity.onResume(MainActivity.java:40)", *LOOPER]
    got = attribute(stack, "com.example.news")
    assert (got.sdk, got.kind, got.prefix) == ("app", "app", "com.example.news.")


def test_app_package_is_matched_on_package_boundaries() -> None:
    got = attribute(["com.example.newsroom.Feed.load(Feed.java:1)"], "com.example.news")
    assert got.sdk == "unknown"
    assert got.prefix == "com.example.newsroom"


def test_sdk_inside_the_app_package_is_still_the_sdk() -> None:
    got = attribute(["com.tencent.mm.opensdk.openapi.WXApi.x(WXApi.java:1)"], "com.tencent.mm")
    assert got.sdk == "WeChat OpenSDK"
    assert attribute(["com.tencent.mm.ui.Launcher.x(L.java:1)"], "com.tencent.mm").sdk == "app"


def test_unknown_reports_the_package() -> None:
    got = attribute([HOOKED, "io.acme.tracking.Beacon$1.run(Beacon.java:7)"], "com.example.news")
    assert (got.sdk, got.kind, got.prefix) == ("unknown", "unknown", "io.acme.tracking")
    assert got.frame == "io.acme.tracking.Beacon$1.run(Beacon.java:7)"


def test_all_framework_stack() -> None:
    got = attribute(
        [
            HOOKED,
            *LOOPER,
            "kotlinx.coroutines.X.y(X.kt:1)",
            "dalvik.system.Z.a(Z.java:1)",
            "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:1)",
        ],
        "com.example.news",
    )
    assert (got.sdk, got.kind, got.prefix, got.frame) == ("framework", "framework", None, HOOKED)


def test_empty_stack_is_unknown() -> None:
    got = attribute([], "com.example.news")
    assert (got.sdk, got.frame) == ("unknown", None)


def test_stack_trace_string_lines_are_accepted() -> None:
    got = attribute(
        [
            "java.lang.Throwable",
            "\tat " + HOOKED,
            "\tat com.example.sdk.push.PushClient.register(PushClient.java:9)",
        ],
        None,
    )
    assert (got.sdk, got.kind) == ("Example Push (simulated)", "push")


@pytest.mark.parametrize(
    ("package", "kind"),
    [
        ("com.example.sdk.analytics", "analytics"),
        ("com.example.sdk.push", "push"),
        ("com.example.sdk.maps", "maps"),
        ("com.example.sdk.ads", "ads"),
        ("com.example.sdk.crash", "crash"),
        ("com.example.sdk.social", "social"),
        ("com.example.sdk.pay", "payment"),
        ("com.example.consent", "consent"),
    ],
)
def test_simulator_sdks(package: str, kind: str) -> None:
    got = attribute([HOOKED, f"{package}.internal.Worker.run(Worker.java:1)"], "com.example.news")
    assert got.kind == kind
    assert got.prefix == package + "."


def test_hooked_sdk_class_frame_is_skipped() -> None:
    hooked = "com.google.android.gms.ads.identifier.AdvertisingIdClient"
    stack = [
        f"{hooked}.getAdvertisingIdInfo(Native Method)",
        "com.appsflyer.internal.AFa1xSDK.values(Unknown Source:4)",
    ]
    assert attribute(stack, None).sdk == "Google Play services ads identifier"
    blamed = attribute(stack, None, hooked_class=hooked)
    assert blamed.sdk == "AppsFlyer"


def test_memo_does_not_mix_app_packages() -> None:
    frame = ["com.example.news.Feed.load(Feed.java:1)"]
    assert attribute(frame, "com.example.news").sdk == "app"
    assert attribute(frame, "com.example.shop").sdk == "unknown"
    assert attribute(frame, "com.example.news").sdk == "app"


def test_memo_limit_keeps_answers_right() -> None:
    attributor = Attributor(load_sdk_table(), "com.example.news")
    attributor.MEMO_LIMIT = 3
    for i in range(10):
        assert attributor([f"io.x{i}.Y.z(Y.java:1)"]).prefix == f"io.x{i}"
    assert attributor(["com.example.news.A.b(A.java:1)"]).sdk == "app"


def test_shipped_table_is_valid_and_sourced() -> None:
    rows = load_sdk_table()
    assert len(rows) >= 40
    assert {r.kind for r in rows} <= SDK_KINDS
    prefixes = {r.prefix for r in rows}
    for required in (
        "com.umeng.",
        "cn.jpush.",
        "com.igexin.",
        "com.amap.api.",
        "com.baidu.location.",
        "com.tencent.bugly.",
        "com.bytedance.sdk.openadsdk.",
        "com.qq.e.",
        "com.tencent.mm.opensdk.",
        "com.alipay.sdk.",
        "com.appsflyer.",
        "com.adjust.sdk.",
        "io.sentry.",
        "com.bun.miitmdid.",
        "com.facebook.",
        "com.google.firebase.",
    ):
        assert required in prefixes


def test_table_errors_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "sdks.json"
    rows = [
        {"prefix": "com.a.", "name": "A", "kind": "analytics"},
        {"prefix": "com.b.", "name": "B", "kind": "telemetry"},
    ]
    path.write_text(json.dumps({"format": 1, "_source": "test", "sdks": rows}))
    with pytest.raises(CatalogError) as info:
        load_sdk_table(path)
    assert info.value.field == "sdks.1.kind"
    rows[1] = {"prefix": "com.a.", "name": "A again", "kind": "ads"}
    path.write_text(json.dumps({"format": 1, "_source": "test", "sdks": rows}))
    with pytest.raises(CatalogError, match="listed twice"):
        load_sdk_table(path)
    rows[1] = {"prefix": "com.b", "name": "B", "kind": "ads"}
    path.write_text(json.dumps({"format": 1, "_source": "test", "sdks": rows}))
    with pytest.raises(CatalogError, match="package prefix"):
        load_sdk_table(path)
