"""Calls the framework made by itself (``CallEvent.framework``) never fail a rule alone."""

from __future__ import annotations

from pathlib import Path

import msgspec

from harness.model import CallEvent, Verdict, framework_only
from harness.scoring import score
from harness.testing import TraceBuilder
from harness.tracefile import MemoryTrace, open_trace
from harness.tracefile.writer import TraceWriter

#: Android's Editor asking the clipboard whether it can paste: posted to the UI thread.
EDITOR_STACK = [
    "android.content.ClipboardManager.hasPrimaryClip(Native Method)",
    "android.widget.TextView.canPaste(TextView.java:12881)",
    "android.widget.Editor$InsertionPointCursorController.show(Editor.java:6230)",
    "android.os.Handler.handleCallback(Handler.java:942)",
    "android.os.Handler.dispatchMessage(Handler.java:99)",
    "android.os.Looper.loop(Looper.java:288)",
    "android.app.ActivityThread.main(ActivityThread.java:7898)",
    "java.lang.reflect.Method.invoke(Native Method)",
    "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)",
]


def _marked(builder: TraceBuilder, seqs: set[int]) -> MemoryTrace:
    """The builder's trace, with the calls of ``seqs`` marked framework (as the host does)."""
    body = [
        msgspec.structs.replace(r, framework=True)
        if isinstance(r, CallEvent) and r.seq in seqs else r
        for r in builder.records()
    ]
    return MemoryTrace(header=builder.build().header, body=tuple(body))


def _pre(report: object) -> object:
    return next(r for r in report.rules if r.rule == "7.2/pre-consent-collection")  # type: ignore[attr-defined]


def test_a_framework_clipboard_call_alone_does_not_fail_pre_consent_collection() -> None:
    b = TraceBuilder().shown(at=0)
    b.call("clipboard.has_primary_clip", at=100, stack=EDITOR_STACK, seq=5)
    b.grant(at=2000)
    report = score(_marked(b, {5}))
    pre = _pre(report)
    assert pre.verdict is Verdict.PASS, pre.reason  # type: ignore[attr-defined]
    assert report.framework_calls == 1 and report.calls == 1
    # the same call unmarked is the app's: the rule can fail on it
    unmarked = _pre(score(b.build()))
    assert unmarked.verdict is Verdict.FAIL  # type: ignore[attr-defined]


def test_a_framework_call_does_not_hide_the_apps_own_calls() -> None:
    b = TraceBuilder().shown(at=0)
    b.call("clipboard.has_primary_clip", at=100, stack=EDITOR_STACK, seq=5)
    b.call("clipboard.primary_clip", at=150, sdk="com.example.sdk.ads", seq=6)
    report = score(_marked(b, {5}))
    pre = _pre(report)
    assert pre.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    assert [e.seq for e in pre.evidence] == [6]  # type: ignore[attr-defined]
    assert report.framework_calls == 1


def test_a_mark_on_a_call_with_an_app_frame_is_not_trusted() -> None:
    """An app under com.android.* looks like the platform; its own frames say otherwise."""
    app = "com.android.fakeapp"
    stack = [EDITOR_STACK[0], f"{app}.Main.onCreate(Main.java:3)", *EDITOR_STACK[3:]]
    b = TraceBuilder().header(app=app).shown(at=0)
    b.call("clipboard.has_primary_clip", at=100, stack=stack, seq=5)
    assert not framework_only(stack, app)
    assert _pre(score(_marked(b, {5}))).verdict is Verdict.FAIL  # type: ignore[attr-defined]


def test_the_mark_survives_the_trace_file(tmp_path: Path) -> None:
    b = TraceBuilder().shown(at=0)
    b.call("clipboard.has_primary_clip", at=100, stack=EDITOR_STACK, seq=5)
    b.call("clipboard.has_primary_clip", at=120, sdk="com.example.sdk.ads", seq=6)
    marked = _marked(b, {5})
    path = tmp_path / "t.jsonl"
    writer = TraceWriter(path, marked.header, reveal_values=True)
    writer.write(r for r in marked.body if isinstance(r, CallEvent) or r.kind == "marker")
    writer.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    calls = [line for line in lines if line.startswith('{"kind":"call"')]
    # written only when true: the app's call line is what older versions wrote
    assert ['"framework":true' in line for line in calls] == [True, False]
    trace = open_trace(path)
    assert [r.framework for r in trace.records() if isinstance(r, CallEvent)] == [True, False]
    report = score(trace)
    assert report.framework_calls == 1
    assert [e.seq for e in _pre(report).evidence] == [6]  # type: ignore[attr-defined]


def test_framework_only_needs_a_whole_stack_of_platform_frames() -> None:
    assert framework_only(EDITOR_STACK)
    assert not framework_only([])  # stacks off: cannot tell
    assert not framework_only(EDITOR_STACK[:5])  # cut at the depth limit: no thread root
    # a library shipped in the APK runs on the app's behalf
    lib = [EDITOR_STACK[0], "androidx.appcompat.widget.AppCompatEditText.onFocus(A.java:1)",
           *EDITOR_STACK[3:]]
    assert not framework_only(lib)
    thread = ["android.content.ClipboardManager.hasPrimaryClip(Native Method)",
              "java.lang.Thread.run(Thread.java:1012)"]
    assert framework_only(thread)
    native = ["android.telephony.TelephonyManager.getImei(Native Method)"]
    assert not framework_only(native)  # a thread attached from native code: no root
