"""Redaction: identifier values are hidden by default, stably, and the header says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.model import CallEvent
from harness.testing import TraceBuilder
from harness.tracefile import Redactor, load_salt, looks_like_identifier, open_trace, salt_id

IMEI = "861234567890123"
ANDROID_ID = "9774d56d682e549c"
MAC = "02:00:00:44:55:66"
OAID = "3f9a1c2e-1234-4abc-9def-0123456789ab"


def _trace(path: Path, **write: object) -> Path:
    return (
        TraceBuilder()
        .header(app="com.example.news")
        .call("telephony.imei", at=10, args=["0"], ret=IMEI)
        .call("settings.secure.android_id", at=20, args=["android_id"], ret=ANDROID_ID)
        .call(
            "sms.send_text",
            at=30,
            args=["13800138000", "null", "hello", "null", "null"],
        )
        .call(
            "permission.activity",
            at=40,
            args=["[android.permission.READ_PHONE_STATE]", "123456789"],
        )
        .write(path, **write)  # type: ignore[arg-type]
    )


def test_values_are_redacted_by_default_and_header_says_so(
    tmp_path: Path, private_salt_file: Path
) -> None:
    path = _trace(tmp_path / "t.jsonl", reveal_values=False)
    text = path.read_text(encoding="utf-8")
    for secret in (IMEI, ANDROID_ID, "13800138000"):
        assert secret not in text
    trace = open_trace(path)
    assert trace.header.redacted is True
    assert trace.header.salt_id == salt_id(load_salt(private_salt_file))
    imei, android_id, sms, perm = [r for r in trace.records() if isinstance(r, CallEvent)]
    assert imei.args == ["0"]  # a SIM slot is not an identifier
    assert imei.ret is not None and imei.ret.startswith("h:") and imei.ret.endswith("..0123")
    assert android_id.args == ["android_id"]
    assert sms.args[0].startswith("h:") and sms.args[2] == "hello"
    # Permission requests are not personal information: their args stay for the rules.
    assert perm.args == ["[android.permission.READ_PHONE_STATE]", "123456789"]


def test_salt_file_is_created_private_and_reused(private_salt_file: Path) -> None:
    first = load_salt()
    assert private_salt_file.exists()
    assert stat.S_IMODE(os.stat(private_salt_file).st_mode) == 0o600
    assert load_salt() == first


def test_same_salt_same_text_other_salt_other_text(tmp_path: Path) -> None:
    a = open_trace(_trace(tmp_path / "a.jsonl", reveal_values=False, salt="one"))
    b = open_trace(_trace(tmp_path / "b.jsonl", reveal_values=False, salt="one"))
    c = open_trace(_trace(tmp_path / "c.jsonl", reveal_values=False, salt="two"))
    assert a.header.salt_id == b.header.salt_id != c.header.salt_id
    assert list(a.records()) == list(b.records()) != list(c.records())


def test_reveal_values_keeps_values(tmp_path: Path) -> None:
    trace = open_trace(_trace(tmp_path / "t.jsonl", reveal_values=True))
    assert trace.header.redacted is False and trace.header.salt_id is None
    assert IMEI in (tmp_path / "t.jsonl").read_text()


@pytest.mark.parametrize(
    "value",
    [
        IMEI,
        ANDROID_ID,
        MAC,
        OAID,
        "+86 138-0013-8000",
        "user@example.com",
        "39.9042,116.4074",
        "R58M12ABCDE",
    ],
)
def test_identifiers_look_like_identifiers(value: str) -> None:
    assert looks_like_identifier(value)


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "1",
        "gps",
        "network",
        "android_id",
        "hello world",
        "content://com.android.contacts/data",
        "null",
        "true",
    ],
)
def test_ordinary_arguments_do_not(value: str) -> None:
    assert not looks_like_identifier(value)


@given(st.text(min_size=1, max_size=40))
def test_redaction_is_stable_hides_and_is_idempotent(value: str) -> None:
    redactor = Redactor(b"salt")
    once = redactor.value(value)
    assert once == redactor.value(value)
    assert redactor.value(once) == once
    assert once.startswith("h:")
    if value.startswith("h:"):
        return  # may already be in redacted form, which is kept as is
    if len(value) >= 8:
        assert once.endswith(".." + value[-4:])
        assert value not in once
    else:
        assert len(once) == 10
