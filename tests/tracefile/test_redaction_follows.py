"""Redaction that follows the values: an identifier a hook returned is hidden wherever it
shows up later in the trace — other calls, UI texts, log lines — and in its common
encodings (no separators, other case, hex, base64, MD5/SHA-1/SHA-256)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.model import CallEvent, Marker, TraceIssue
from harness.testing import TraceBuilder
from harness.tracefile import Redactor, open_trace

IMEI = "861234567890123"
MAC = "02:1a:2b:3c:4d:5e"
ANDROID_ID = "9774d56d682e549c"
OAID = "3f9a1c2e-1234-4abc-9def-0123456789ab"


def _forms(value: str) -> list[str]:
    compact = value.replace(":", "").replace("-", "")
    out = [value, value.upper(), compact, compact.upper(), value.encode().hex()]
    out.append(base64.b64encode(value.encode()).decode().rstrip("="))
    for form in {value, compact, value.upper(), compact.upper()}:
        for algo in ("md5", "sha1", "sha256"):
            digest = hashlib.new(algo, form.encode()).hexdigest()
            out += [digest, digest.upper()]
    return out


def _later_uses(value: str) -> TraceBuilder:
    """A trace where ``value`` is returned by a hook, then shows up everywhere."""
    md5 = hashlib.md5(value.encode()).hexdigest()
    sha256_upper = hashlib.sha256(value.upper().encode()).hexdigest().upper()
    return (
        TraceBuilder()
        .header(app="com.example.news")
        .call("telephony.imei", at=10, args=[], ret=value)
        # an install URL (not personal information: args kept, but the value hidden)
        .call(
            "install.intent.data_and_type",
            at=20,
            args=[f"https://cdn.example.com/x.apk?imei={value}&m={md5}", "application/vnd.android"],
        )
        # a JSON argument of a personal-information call
        .call(
            "settings.secure.android_id",
            at=30,
            args=[json.dumps({"dev": value.upper(), "h": sha256_upper}), "android_id"],
            ret=ANDROID_ID,
        )
        .marker(
            "dialog_shown",
            at=40,
            texts=["隐私政策", f"您的设备号 {value}", {"nested": [f"id={md5.upper()}"]}],
        )
        .marker("view_clicked", at=50, text="同意", rid="com.example.news:id/btn_agree")
        .issue("agent_log", at=60, level="warning", message=f"sdk: uploaded {value} to collector")
    )


@pytest.mark.parametrize("value", [IMEI, MAC, ANDROID_ID.upper(), OAID])
def test_a_returned_value_is_hidden_everywhere_later(tmp_path: Path, value: str) -> None:
    path = _later_uses(value).write(tmp_path / "t.jsonl", reveal_values=False, salt="s")
    text = path.read_text(encoding="utf-8")
    for form in _forms(value):
        if len(form) >= 6:
            assert form not in text, form
    # What a reviewer and the rules need stays readable.
    records = list(open_trace(path).records())
    install = next(r for r in records if isinstance(r, CallEvent) and r.api.startswith("install"))
    assert install.args[0].startswith("https://cdn.example.com/x.apk?imei=h:")
    assert install.args[1] == "application/vnd.android"
    markers = [r for r in records if isinstance(r, Marker)]
    assert markers[0].detail["texts"][0] == "隐私政策"
    assert markers[1].detail == {"text": "同意", "rid": "com.example.news:id/btn_agree"}
    issue = next(r for r in records if isinstance(r, TraceIssue))
    assert issue.message.startswith("sdk: uploaded h:") and issue.message.endswith("collector")


def test_all_forms_of_one_value_read_as_the_same_redacted_text(tmp_path: Path) -> None:
    path = _later_uses(IMEI).write(tmp_path / "t.jsonl", reveal_values=False, salt="s")
    records = list(open_trace(path).records())
    ret = next(r for r in records if isinstance(r, CallEvent)).ret
    assert ret is not None and ret.endswith("..0123")
    install = next(r for r in records if isinstance(r, CallEvent) and r.api.startswith("install"))
    assert install.args[0].count(ret) == 2  # the raw value and its MD5…
    assert f"imei={ret}&m={ret}(md5)" in install.args[0]  # …which says how it was encoded


def test_identifiers_embedded_in_longer_texts_are_hidden_before_being_learned(
    tmp_path: Path,
) -> None:
    path = (
        TraceBuilder()
        .header(app="com.example.news")
        .call(
            "settings.secure.android_id",
            at=10,
            args=[f'{{"oaid":"{OAID}","imei":"{IMEI}","mac":"{MAC}"}}', "android_id"],
        )
        .marker("dialog_shown", at=20, texts=[f"客服 user@example.com, 设备 {ANDROID_ID}"])
        .write(tmp_path / "t.jsonl", reveal_values=False, salt="s")
    )
    text = path.read_text(encoding="utf-8")
    for raw in (OAID, IMEI, MAC, ANDROID_ID, "user@example.com"):
        assert raw not in text
    call = next(r for r in open_trace(path).records() if isinstance(r, CallEvent))
    assert call.args[1] == "android_id" and call.args[0].startswith('{"oaid":"h:')


def test_ordinary_texts_are_untouched(tmp_path: Path) -> None:
    builder = (
        TraceBuilder()
        .header(app="com.example.news")
        .call("telephony.imei", at=10, args=["0"], ret=IMEI)
        .call("permission.activity", at=20, args=["[android.permission.CAMERA]", "12345678"])
        .marker("dialog_shown", at=30, texts=["Privacy Policy", "Agree", "Version 2.3.1"])
        .issue("sequence_gap", at=40, level="warning", message="lost 2 events (seq 10..11)")
    )
    path = builder.write(tmp_path / "t.jsonl", reveal_values=False, salt="s")
    got = list(open_trace(path).records())
    want = builder.records()
    assert got[1:] == want[1:]  # everything but the IMEI call itself


@pytest.mark.parametrize(
    "serial, hidden", [("R58M12ABCDE", True), ("127.0.0.1:5555", False), ("emulator-5554", False)]
)
def test_device_serial_in_the_header_is_redacted_and_followed(
    tmp_path: Path, serial: str, hidden: bool
) -> None:
    path = (
        TraceBuilder()
        .header(app="com.example.news", device={"serial": serial, "model": "Pixel"})
        .call("build.serial", at=10, ret=serial)
        .issue("agent_log", at=20, level="warning", message=f"serial {serial}")
        .write(tmp_path / "t.jsonl", reveal_values=False, salt="s")
    )
    trace = open_trace(path)
    assert (serial not in trace.header.device["serial"]) is hidden
    assert trace.header.device["model"] == "Pixel"
    if hidden:
        assert serial not in path.read_text(encoding="utf-8")


def test_reveal_values_keeps_every_form(tmp_path: Path) -> None:
    path = _later_uses(IMEI).write(tmp_path / "t.jsonl", reveal_values=True)
    assert path.read_text(encoding="utf-8").count(IMEI) >= 4


_ID = st.one_of(
    st.from_regex(r"\A86[0-9]{13}\Z"),
    st.from_regex(r"\A[0-9a-f]{16}\Z"),
    st.from_regex(r"\A([0-9a-f]{2}:){5}[0-9a-f]{2}\Z"),
    st.uuids().map(str),
)
_AROUND = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)


@settings(max_examples=300, deadline=None)
@given(value=_ID, before=_AROUND, after=_AROUND, form=st.integers(0, 30))
def test_a_learned_value_never_survives_in_any_text(
    value: str, before: str, after: str, form: int
) -> None:
    redactor = Redactor(b"salt")
    redactor.tracker.learn(value)
    forms = _forms(value)
    shown = forms[form % len(forms)]
    for embedded in (False, True):
        out = redactor.text(before + shown + after, embedded=embedded)
        assert shown not in out and shown.lower() not in out.lower()
