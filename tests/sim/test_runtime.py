"""The JVM app runtime, launched directly with the launch contract's environment and an
in-test bridge: stubs vs. the API surface, windows, clicks, prefs, permissions, debug-wait,
Frida."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_runtime_support import AppRun, find_node, install_dir, need_jdk, texts, top

from harness.sim import runtime
from harness.sim.apps import bundled_packages
from harness.sim.errors import SimulatorError
from tests.e2e_support import require


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, Path]]:
    need_jdk()
    root = Path(tempfile.mkdtemp(prefix="simrt-"))
    yield {apk.stem: install_dir(apk, root) for apk in bundled_packages()}


@pytest.fixture
def launch(apps: dict[str, Path], tmp_path: Path) -> Iterator:
    runs: list[AppRun] = []

    def start(pkg: str, **kw: object) -> AppRun:
        kw.setdefault("data_dir", tmp_path / "data" / pkg)
        run = AppRun(apps[pkg], **kw)  # type: ignore[arg-type]
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.close()


# --------------------------------------------------------------------------- stubs vs surface


def test_every_surface_method_exists_with_its_signature() -> None:
    """The stubs are the surface's: every framework method, its return type, static-ness,
    and concreteness (abstract only where Android's is, e.g. PackageManager)."""
    need_jdk()
    classes = runtime.runtime_classes()
    proc = subprocess.run(
        [runtime.java(), "-cp", str(classes), "android.sim.SurfaceCheck",
         str(runtime.SURFACE_PATH)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    framework = [m for m in runtime.load_surface()["methods"] if m["provided_by"] == "framework"]
    assert len(results) == len(framework)
    missing = {r["api"]: r["problems"] for r in results if not r["ok"]}
    assert not missing, missing
    assert runtime.build_plan()["skipped"] == []


def test_the_real_class_hierarchy_where_hooks_care() -> None:
    """Abstract PackageManager, concrete ApplicationPackageManager (hooks on abstract methods
    never fire: the catalog must name the implementation)."""
    surface = {(m["class"], m["method"], tuple(m["params"])): m
               for m in runtime.load_surface()["methods"]}
    key = ("getInstalledPackages", ("int",))
    assert surface[("android.content.pm.PackageManager", *key)]["abstract"] is True
    assert surface[("android.app.ApplicationPackageManager", *key)]["abstract"] is False


def test_generator_follows_the_surface(tmp_path: Path) -> None:
    """A new surface method on a hand-written class and one on an unknown class both get stubs."""
    entries = [
        {
            "id": "t.new_method",
            "class": "android.telephony.TelephonyManager",
            "method": "getTestId",
            "overloads": [["int", "java.lang.String[]"]],
            "returns": "java.lang.String",
            "static": False,
        },
        {
            "id": "t.new_class",
            "class": "android.example.FooManager$Inner",
            "method": "peek",
            "overloads": [[]],
            "returns": "android.example.Blob",
            "static": True,
        },
        {
            "id": "t.existing",
            "class": "android.hardware.Camera",
            "method": "open",
            "overloads": [[]],
            "returns": "android.hardware.Camera",
            "static": True,
        },
    ]
    plan = runtime.generate_sources(entries, tmp_path / "src")
    assert {m.entry_id for m in plan.methods} == {"t.new_method", "t.new_class"}
    assert [m.entry_id for m in plan.existing] == ["t.existing"]
    tm = (tmp_path / "src/android/telephony/TelephonyManager.java").read_text()
    assert "public java.lang.String getTestId(int a0, java.lang.String[] a1)" in tm
    foo = (tmp_path / "src/android/example/FooManager.java").read_text()
    assert "public static class Inner" in foo and "public static android.example.Blob peek()" in foo
    assert (tmp_path / "src/android/example/Blob.java").is_file()


def test_missing_jdk_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(
        SimulatorError, match=r"javac not found: install a JDK 17 \(e.g. apt-get install"
    ):
        runtime.javac()


def test_concurrent_first_builds_agree(tmp_path: Path) -> None:
    """Two processes building the runtime into an empty cache at once both succeed."""
    need_jdk()
    code = "from harness.sim import runtime; print(runtime.runtime_classes())"
    env = dict(os.environ, CONSENT_HARNESS_CACHE=str(tmp_path / "cache"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outs]
    paths = {o[0].strip() for o in outs}
    assert len(paths) == 1
    built = Path(paths.pop())
    assert (built / "android/app/ActivityThread.class").is_file()
    assert not [p for p in built.parent.parent.iterdir() if p.name.startswith(".build-")]


# --------------------------------------------------------------------------- UI, prefs, keys


#: The compliant app's "I have read and agree" box: 同意 does nothing until it is ticked.
BOX = "我已阅读并同意《用户协议》和《隐私政策》"


def _box_ticked(windows: list) -> bool:  # type: ignore[type-arg]
    box = find_node(top(windows, "dialog")["root"], lambda n: n["text"] == BOX)
    return box is not None and box.get("checked") is True


def test_consent_dialog_click_prefs_and_cold_start(launch) -> None:
    run = launch("com.example.compliant")
    hello = run.wait_for(lambda m: m.get("t") == "hello")
    assert hello["pkg"] == "com.example.compliant" and hello["pid"] == run.pid
    windows = run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws))
    assert [w["type"] for w in windows] == ["activity", "dialog"]  # the dialog is on top
    dialog = top(windows, "dialog")
    assert "用户协议与隐私政策" in texts(dialog["root"])
    agree = find_node(dialog["root"], lambda n: n["text"] == "同意")
    assert agree["clickable"] and agree["rid"] == "com.example.compliant:id/btn_agree"
    left, t, right, bottom = agree["bounds"]
    assert 0 <= left < right <= 1080 and 0 <= t < bottom <= 2340
    # agree does nothing until the "I have read" box is ticked
    box = find_node(dialog["root"], lambda n: n["text"] == BOX)
    assert box["checkable"] and box["checked"] is False
    run.click(dialog, "同意")
    run.wait_for(lambda m: m.get("t") == "log" and "unticked" in m.get("msg", ""))
    mark = run.mark()
    run.click(dialog, BOX)
    ticked = run.wait_windows(_box_ticked, start=mark)
    mark = run.mark()
    run.click(top(ticked, "dialog"), "同意")
    after = run.wait_windows(lambda ws: all(w["type"] == "activity" for w in ws), start=mark)
    assert "今日推荐" in texts(top(after)["root"])
    prefs = run.data_dir / "shared_prefs" / "consent_sdk.xml"
    root = ET.parse(prefs).getroot()
    assert root.find("boolean[@name='agreed']").get("value") == "true"
    run.close()
    # cold start: the decision is read again and the dialog skipped
    again = launch("com.example.compliant", data_dir=run.data_dir, trace=True)
    again.wait_for(lambda m: m.get("t") == "log" and "consent remembered" in m.get("msg", ""))
    assert all(w["type"] == "activity" for w in again.windows())
    again.wait_tap(lambda call: True)  # SDKs started at once


def test_policy_link_opens_an_activity_and_back_returns(launch) -> None:
    run = launch("com.example.compliant")
    dialog = top(run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws)), "dialog")
    mark = run.mark()
    run.click(dialog, "《隐私政策》")
    ws = run.wait_windows(
        lambda ws: ws[-1]["type"] == "activity" and "PolicyActivity" in ws[-1]["title"], start=mark
    )
    assert [w["type"] for w in ws] == ["activity", "dialog", "activity"]
    mark = run.mark()
    run.send({"t": "key", "key": "BACK"})
    ws = run.wait_windows(lambda ws: ws[-1]["type"] == "dialog", start=mark)
    assert len(ws) == 2


def test_refuse_exits_and_bridge_close_ends_the_process(launch) -> None:
    run = launch("com.example.weather")  # refusing exits the app
    dialog = top(run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws)), "dialog")
    run.click(dialog, "不同意")
    # killProcess(myPid()) is a SIGKILL to itself, as on Android (halt only without kill(1)).
    assert run.exited() in (-9, 0)
    other = launch("com.example.news")
    other.wait_for(lambda m: m.get("t") == "windows")
    # The device goes away (shutdown: a plain close() does not wake our own reader thread).
    other.conn.shutdown(socket.SHUT_RDWR)
    assert other.exited() == 0


def test_limited_mode_and_withdrawal(launch) -> None:
    run = launch("com.example.news", trace=True)
    dialog = top(run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws)), "dialog")
    mark = run.mark()
    run.click(dialog, "同意")
    main = top(run.wait_windows(lambda ws: len(ws) == 1, start=mark))
    mark = run.mark()
    run.click(main, "设置")
    settings = top(run.wait_windows(lambda ws: "SettingsActivity" in ws[-1]["title"], start=mark))
    mark = run.mark()
    run.click(settings, "撤回隐私政策同意")
    ws = run.wait_windows(lambda ws: ws[-1]["type"] == "dialog", start=mark)
    assert len(ws) == 2 and "MainActivity" in ws[0]["title"]
    prefs = (run.data_dir / "shared_prefs" / "consent_sdk.xml").read_text()
    assert "agreed" not in prefs
    mark = run.mark()
    run.click(top(ws), "不同意")  # news: refusing keeps a limited mode
    ws = run.wait_windows(
        lambda ws: len(ws) == 1 and "仅浏览模式" in texts(ws[0]["root"]), start=mark
    )
    assert run.proc.poll() is None


# --------------------------------------------------------------------------- permissions


def test_guarded_call_throws_without_permission_and_works_with_it(launch) -> None:
    denied = launch("com.example.camera")
    log = denied.wait_for(lambda m: m.get("t") == "log" and m["msg"].startswith("camera:"))
    assert "java.lang.SecurityException" in log["msg"] and "android.permission.CAMERA" in log["msg"]
    granted = launch("com.example.camera", grants=["android.permission.CAMERA"], trace=True)
    granted.wait_for(lambda m: m.get("t") == "log" and m["msg"].startswith("microphone:"))
    granted.wait_tap(lambda call: call["api"] == "android.hardware.Camera.open()")
    assert not [m for m in granted.logs() if m["msg"].startswith("camera:")]


def test_permission_request_round_trip(launch) -> None:
    run = launch("com.example.compliant")
    dialog = top(run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws)), "dialog")
    mark = run.mark()
    run.click(dialog, BOX)
    ticked = run.wait_windows(_box_ticked, start=mark)
    run.click(top(ticked, "dialog"), "同意")
    req = run.wait_for(lambda m: m.get("t") == "perm_request")
    assert req["perms"] == ["android.permission.ACCESS_FINE_LOCATION"]
    run.send(
        {
            "t": "perm_result",
            "req": req["req"],
            "results": {"android.permission.ACCESS_FINE_LOCATION": True},
        }
    )
    run.wait_for(
        lambda m: (
            m.get("t") == "log"
            and "permission result 100" in m["msg"]
            and "ACCESS_FINE_LOCATION=true" in m["msg"]
        )
    )


def test_grants_message_updates_permissions(launch) -> None:
    run = launch("com.example.flashlight", trace=True)
    run.send({"t": "grants", "granted": ["android.permission.READ_CONTACTS"]})
    dialog = top(run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws)), "dialog")
    run.click(dialog, "同意")
    run.wait_tap(lambda call: call["api"].startswith("android.content.ContentResolver.query("))
    assert not [m for m in run.logs() if m["msg"].startswith("contacts:")]  # no SecurityException


def test_bundled_install_is_reported(launch) -> None:
    run = launch("com.example.game")
    dialog = top(run.wait_windows(lambda ws: any(w["type"] == "dialog" for w in ws)), "dialog")
    run.click(dialog, "同意")
    msg = run.wait_for(lambda m: m.get("t") == "install")
    assert msg == {**msg, "package": "com.example.gamecenter", "source": "session"}


# --------------------------------------------------------------------------- debug wait + Frida


def test_wait_for_debugger_runs_no_app_code(launch) -> None:
    run = launch("com.example.news", wait_debugger=True, trace=True)
    run.wait_for(lambda m: m.get("t") == "log" and m["msg"].startswith("Waiting for debugger"))
    # Nothing of the app can have run: it would first have to pass waitForDebugger().
    assert run.proc.poll() is None
    assert not [m for m in run.messages if m.get("t") in ("windows", "perm_request", "install")]
    assert not run.tapped() and not run.logs("ExampleAnalytics")


def _frida() -> object:
    try:
        import frida
    except ImportError as exc:
        require("frida", str(exc))
    return frida


def _java_bridge() -> str:
    import frida_tools

    path = Path(frida_tools.__file__).parent / "bridges" / "java.js"
    return path.read_text(encoding="utf-8")


AGENT = textwrap.dedent("""
    const Java = bridge;
    Java.perform(function () {
      const Secure = Java.use('android.provider.Settings$Secure');
      const Thread = Java.use('java.lang.Thread');
      const getString = Secure.getString.overload(
          'android.content.ContentResolver', 'java.lang.String');
      getString.implementation = function (cr, name) {
        send({hit: String(name), thread: String(Thread.currentThread().getName())});
        return getString.call(Secure, cr, name);
      };
      Java.use('android.os.Debug').isDebuggerConnected.implementation = function () {
        return true;
      };
      send({ready: true});
    });
""")


def test_frida_catches_the_very_first_call(launch) -> None:
    frida = _frida()
    run = launch("com.example.news", wait_debugger=True, trace=True)
    run.wait_for(lambda m: m.get("t") == "log" and m["msg"].startswith("Waiting for debugger"))
    session = frida.get_local_device().attach(run.pid)  # type: ignore[attr-defined]
    hits: list[dict] = []
    errors: list[object] = []

    def on_message(message: dict, _data: object) -> None:
        if message.get("type") == "send":
            hits.append(message["payload"])
        else:
            errors.append(message)

    try:
        script = session.create_script(_java_bridge() + "\n" + AGENT)
        script.on("message", on_message)
        script.load()
        run.wait_for(lambda m: m.get("t") == "log" and m["msg"].startswith("Debugger attached"))
        run.wait_for(
            lambda m: (
                m.get("t") == "log" and m["tag"] == "ExampleAnalytics" and "fingerprint" in m["msg"]
            )
        )
        traced = [api for api, _ in run.traced()]
        android_id = ("android.provider.Settings$Secure.getString"
                      "(android.content.ContentResolver,java.lang.String)")
        assert traced[0] == android_id  # the app's very first sensitive call
        calls = [h for h in hits if "hit" in h]
        assert not errors, errors
        assert calls and calls[0] == {"hit": "android_id", "thread": "main"}
        assert len(calls) == traced.count(android_id)
    finally:
        run.close()
        session.detach()
