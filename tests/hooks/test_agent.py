"""The real agent.js injected by real Frida into a real JVM (the probe program)."""

from __future__ import annotations

import queue
import time
from typing import Any

import pytest

from tests.hooks.probe import ProbeProcess, probe_entries, require_tools

pytestmark = pytest.mark.usefixtures("tools")


@pytest.fixture(scope="module")
def tools() -> None:
    require_tools()


class Agent:
    """The agent loaded into one probe process; collects what it sends."""

    def __init__(self, probe: ProbeProcess, **config: Any) -> None:
        import frida

        from harness.instrument.agent import agent_source
        from harness.instrument.launch import wait_local_vm_ready

        assert wait_local_vm_ready(probe.pid)
        self.messages: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self.detached: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.session = frida.get_local_device().attach(probe.pid)
        self.session.on("detached", lambda reason, crash: self.detached.put(reason))
        self.script = self.session.create_script(agent_source())
        self.script.on("message", lambda message, data: self.messages.put(message))
        self.script.load()
        full = {
            "protocol": 1,
            "catalog": probe_entries(),
            "batch_max": 500,
            "batch_ms": 50,
            "stack": 32,
            "app_package": "com.example.probe",
            "release_debugger": True,
        }
        full.update(config)
        self.init = self.script.exports_sync.init(full)

    def drain(self) -> tuple[list[dict[str, Any]], dict[int, list[str]], list[dict[str, Any]]]:
        """(items in order, stack table, other messages) received so far."""
        items: list[dict[str, Any]] = []
        stacks: dict[int, list[str]] = {}
        other: list[dict[str, Any]] = []
        while True:
            try:
                m = self.messages.get_nowait()
            except queue.Empty:
                break
            payload = m.get("payload") if m["type"] == "send" else m
            if isinstance(payload, dict) and payload.get("type") == "events":
                items.extend(payload["events"])
                for k, v in (payload.get("stacks") or {}).items():
                    stacks[int(k)] = v
            else:
                other.append(payload)
        return items, stacks, other


def run(
    commands: list[str], **config: Any
) -> tuple[Agent, list[dict[str, Any]], dict[int, list[str]], list[dict[str, Any]]]:
    with ProbeProcess([*commands, "hold"]) as probe:
        agent = Agent(probe, **config)
        probe.wait_line("DONE hold")
        agent.script.exports_sync.flush()
        items, stacks, other = agent.drain()
    return agent, items, stacks, other


def calls(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["type"] == "call"]


def test_every_call_with_id_overload_thread_and_stack() -> None:
    agent, items, stacks, other = run(["first", "suite"])
    assert agent.init["protocol"] == 1
    assert agent.init["runtime"] == "hotspot"
    assert agent.init["stack"] == "jvmti"
    failed = {f["id"]: f["error"] for f in agent.init["failed"]}
    # a method missing from a class that exists is a blind spot; a class the process
    # does not contain at all (an SDK the app does not bundle) cannot be called
    assert set(failed) == {"missing.method"}
    assert agent.init["absent"] == ["missing.class"]
    assert "resolver.query.contacts" in agent.init["installed"]

    # sequence numbers cover events and markers, from 0, without gaps
    assert [i["seq"] for i in items] == list(range(len(items)))
    assert items[0]["type"] == "marker" and items[0]["kind"] == "hooks_ready"

    got = [(c["id"], c["overload"], c["thread"]) for c in calls(items)]
    assert got == [
        ("telephony.device_id", "", "main"),  # the app's very first instruction
        ("telephony.device_id", "int", "main"),
        ("telephony.imei", "", "main"),
        ("telephony.subscriber_id", "", "main"),
        ("settings.android_id", "android.content.ContentResolver,java.lang.String", "main"),
        (
            "resolver.query.sms",
            "android.net.Uri,java.lang.String[],java.lang.String,java.lang.String[],java.lang.String",
            "main",
        ),
        # content://media/... matches no entry: not reported
        ("audio.record", "int,int,int,int,int", "main"),
        ("audio.record", "int,int,int,int,int", "main"),
        ("telephony.imei", "int", "sdk-worker"),
        (
            "resolver.query.contacts",
            "android.net.Uri,java.lang.String[],java.lang.String,java.lang.String[],java.lang.String",
            "sdk-worker",
        ),
        ("telephony.line1", "", "main"),
    ]
    by_id = {c["id"]: c for c in calls(items)}
    first = calls(items)[0]
    assert first["ret"] == "867530900000001"
    frames = stacks[first["stack"]]
    assert frames[0] == "android.telephony.TelephonyManager.getDeviceId(Native Method)"
    assert frames[1].startswith("com.example.probe.ProbeApp.main(ProbeApp.java:")
    sdk = stacks[by_id["telephony.imei"]["stack"]] if False else None
    imei_worker = [c for c in calls(items) if c["thread"] == "sdk-worker"][0]
    assert any(
        f.startswith("com.example.sdk.Tracker.collect(Tracker.java:")
        for f in stacks[imei_worker["stack"]]
    )
    assert imei_worker["args"] == ["0"]
    assert imei_worker["tid"] != first["tid"]
    sub = by_id["telephony.subscriber_id"]
    assert sub["threw"] == "java.lang.SecurityException" and sub["ret"] is None
    throwing_ctor = calls(items)[7]
    assert throwing_ctor["threw"] == "java.lang.IllegalArgumentException"
    sms = by_id["resolver.query.sms"]
    assert sms["args"][:2] == ["content://sms/inbox", "[address, body] (2)"]
    assert sms["args"][4] == "null"
    assert all(isinstance(c["ts"], (int, float)) and c["ts"] > 1.6e12 for c in calls(items))
    assert not [o for o in other if o.get("type") == "error"]
    del sdk


def test_ui_markers() -> None:
    _, items, _, _ = run(["ui"])
    markers = [(i["kind"], i["detail"]) for i in items if i["type"] == "marker"]
    kinds = [k for k, _ in markers]
    assert kinds == [
        "hooks_ready",
        "activity_resumed",
        "dialog_shown",
        "view_clicked",
        "permission_prompt",
        "dialog_shown",
    ]
    detail = dict(markers)
    assert detail["activity_resumed"]["activity"] == "com.example.probe.ProbeApp$MainActivity"
    dialog = markers[2][1]
    assert dialog["texts"] == [
        "Privacy Policy",
        "We collect your device ID to provide the service.",
        "Agree",
        "Disagree",
    ]  # the GONE view's text is not visible
    click = detail["view_clicked"]
    assert click == {
        "class": "android.widget.Button",
        "text": "Agree",
        "id": 1001,
        "resource_id": "com.example.probe:id/agree",
    }
    assert markers[5][1]["window"] == "popup" and markers[5][1]["texts"] == ["New: dark mode"]
    # the click comes before what it triggers: the permission request call, then its marker
    order = [(i["type"], i.get("kind") or i.get("id")) for i in items]
    i_click = order.index(("marker", "view_clicked"))
    assert order[i_click + 1] == ("call", "permission.request")
    assert order[i_click + 2] == ("marker", "permission_prompt")


def test_protocol_mismatch_fails_at_once() -> None:
    import frida

    with ProbeProcess(["hold"]) as probe:
        with pytest.raises(frida.core.RPCException, match="protocol mismatch"):
            Agent(probe, protocol=99)


def test_failing_hook_body_falls_back_to_the_original() -> None:
    agent, items, _, other = run(["first"], fail_ids=["telephony.device_id"])
    assert [c for c in calls(items) if c["id"] == "telephony.device_id"] == []
    errors = [o for o in other if o.get("type") == "error"]
    assert errors and "injected failure" in errors[0]["message"]


def test_jvm_exits_when_main_returns_with_the_agent_loaded() -> None:
    # the agent's JS thread is attached as a daemon: it does not keep the JVM alive
    with ProbeProcess(["stdin", "first", "return"]) as probe:
        agent = Agent(probe)
        probe.send_line()
        probe.proc.wait(30)
        assert agent.detached.get(timeout=10) == "process-terminated"
        items, _, _ = agent.drain()
    assert [c["id"] for c in calls(items)] == ["telephony.device_id"]  # final flush on exit


def test_without_stacks() -> None:
    agent, items, stacks, _ = run(["first"], stack=False)
    assert agent.init["stack"] == "none"
    assert calls(items)[0]["stack"] is None and stacks == {}


def test_throwable_fallback_gives_the_same_frames() -> None:
    _, items, stacks, _ = run(["first"], stack_strategy="throwable")
    frames = stacks[calls(items)[0]["stack"]]
    assert frames[0] == "android.telephony.TelephonyManager.getDeviceId(Native Method)"
    assert frames[1].startswith("com.example.probe.ProbeApp.main(ProbeApp.java:")


def test_flush_returns_immediately_with_nothing_pending() -> None:
    with ProbeProcess(["hold"]) as probe:
        agent = Agent(probe)
        probe.wait_line("DONE hold")
        agent.script.exports_sync.flush()
        t = agent.script.exports_sync.ping()
        assert abs(t - time.time() * 1000) < 60_000
