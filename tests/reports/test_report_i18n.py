"""Reports in Chinese and English: the language choice, the catalogs, the translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import InputError
from harness.model import RuleResult
from harness.reports import write_reports
from harness.reports.i18n import Translator, default_lang, resolve_lang
from harness.reports.msgids import all_messages
from harness.reports.pocompile import compile_po, parse_po, shipped_catalogs
from harness.scoring import build_timeline, score
from harness.testing import TraceBuilder
from tests.reports.conftest import make_summary


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL decides first
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "C"}, "zh"),
        ({"LANG": ""}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_default_language_comes_from_the_locale(env: dict[str, str], lang: str) -> None:
    assert default_lang(env) == lang
    assert resolve_lang(None, env) == lang


def test_explicit_language_and_a_clear_error() -> None:
    assert resolve_lang("zh-CN") == resolve_lang("zh_CN.UTF-8") == resolve_lang("ZH") == "zh"
    assert resolve_lang("en-GB") == "en"
    with pytest.raises(InputError, match="use zh"):
        resolve_lang("fr")


def test_shipped_mo_files_are_compiled_from_the_po_sources() -> None:
    pairs = shipped_catalogs()
    assert pairs, "no catalogs shipped"
    for po, mo in pairs:
        want = compile_po(po.read_text(encoding="utf-8"), po)
        assert mo.is_file() and mo.read_bytes() == want, (
            f"{mo} is stale: run python -m harness.reports.pocompile"
        )


def test_every_report_message_has_a_chinese_translation() -> None:
    (po, _), *_ = shipped_catalogs()
    entries = {(e.msgctxt, e.msgid): e for e in parse_po(po.read_text(encoding="utf-8"), po)}
    missing = []
    for ctx, msgid, _plural in all_messages():
        entry = entries.get((ctx, msgid))
        if entry is None or not all(entry.msgstr.values()):
            missing.append((ctx, msgid))
    assert not missing, f"untranslated in {po.name}: {missing}"


def test_placeholders_survive_translation() -> None:
    import re

    (po, _), *_ = shipped_catalogs()
    for e in parse_po(po.read_text(encoding="utf-8"), po):
        want = sorted(re.findall(r"\{[a-z_]+\}", e.msgid))
        for text in e.msgstr.values():
            got = sorted(re.findall(r"\{[a-z_]+\}", text))
            if e.msgid_plural is not None:
                want = sorted(set(want) | set(re.findall(r"\{[a-z_]+\}", e.msgid_plural)))
                got = sorted(set(got))
                want = sorted(set(want))
            assert got == want, (e.line, e.msgid, text)


def test_rule_statements_by_id_with_english_fallback() -> None:
    zh = Translator("zh")
    assert zh.statement("7.2/pre-consent-collection", "x") == "用户同意前不收集个人信息。"
    # a rule added to scoring after this catalog: its own English statement
    assert zh.statement("7.2/re-ask-after-refusal", "Does not re-ask.") == "Does not re-ask."
    assert Translator("en").statement("7.2/pre-consent-collection", "English") == "English"


def _scored() -> list[RuleResult]:
    """Rule results of real scoring over traces that exercise every reason template."""
    app = "com.example.news"
    traces = [
        TraceBuilder().header(app=app, scope=["location"]).shown(at=0)
        .call("telephony.imei", at=100, sdk="com.example.ads")
        .call("location.last_known", at=150, sdk="com.example.maps")
        .call("permission.activity", at=160, args=["[android.permission.CAMERA]"])
        .call("install.session.create", at=170)
        .grant(at=1000).call("settings.secure.android_id", at=1500).build(),
        TraceBuilder().header(app=app).shown(at=0).refuse(at=500)
        .call("telephony.imei", at=900).build(),
        TraceBuilder().header(app=app).call("telephony.imei", at=100).build(),
        TraceBuilder().header(app=app, scope=[]).shown(at=0).grant(at=100).build(),
        TraceBuilder().header(app=app).hooks_ready(failed=["telephony.imei"]).shown(at=0)
        .step("refuse", at=50).end(None).build(),
        TraceBuilder().header(app=app).build(),
    ]
    return [rule for trace in traces for rule in score(trace).rules]


def test_reasons_of_todays_rules_all_translate() -> None:
    zh = Translator("zh")
    seen = 0
    for rule in _scored():
        translated = zh.reason(rule.reason)
        assert translated != rule.reason, f"no template for {rule.rule}: {rule.reason!r}"
        assert "{" not in translated
        seen += 1
    assert seen >= 30


def test_reasons_of_steps_that_did_not_happen() -> None:
    zh = Translator("zh")
    gap = (
        "step agree (line 7) did not happen: no consent dialog found; otherwise: "
        "no personal-information call after the refusal"
    )
    assert zh.reason(gap) == (
        "步骤 agree（第 7 行）未完成：no consent dialog found；否则：用户拒绝后没有个人信息调用"
    )
    death = (
        "the app died (crashed: SIGSEGV) at ts 1700000000123; the rest of the scenario was "
        "not observed; otherwise: a consent dialog was shown"
    )
    assert zh.reason(death).startswith("应用在时间 1700000000123 终止（崩溃：SIGSEGV）")


def test_unknown_reasons_stay_english() -> None:
    zh = Translator("zh")
    assert zh.reason("something new: 3 calls") == "something new: 3 calls"
    nested = "the recording is incomplete (device_lost: gone); otherwise: something new"
    assert zh.reason(nested) == "记录不完整（device_lost: gone）；否则：something new"


def test_chinese_page_has_no_english_labels(tmp_path: Path, traces: dict[str, Path]) -> None:
    write_reports(tmp_path / "run", make_summary(), traces, lang="zh", salt=b"s")
    page = (tmp_path / "run/report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    assert "Noto Sans CJK SC" in page and "Microsoft YaHei" in page
    for label in ("判定结果", "时间线", "钩子覆盖情况", "按 SDK 统计", "同意前", "不通过"):
        assert label in page
    for english in (">Verdicts<", ">Timeline<", ">Hook coverage<", ">Rules<", ">pre_consent<"):
        assert english not in page
    # both article texts, in both languages, in either report
    for text in ("合法、正当、必要", "捆绑安装无关的应用程序", "legality, legitimacy and necessity",
                 "bundle-install unrelated applications"):
        assert text in page
    en = tmp_path / "en"
    write_reports(en, make_summary(), traces, lang="en", salt=b"s")
    english_page = (en / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english_page and "合法、正当、必要" in english_page


def test_a_flow_step_that_did_not_happen_is_named_by_its_flow_file() -> None:
    """A step a ``run_flow`` brought in is named by the flow file and its line there,
    in the reason and in its Chinese translation."""
    trace = (
        TraceBuilder().header(app="com.example.news").hooks_ready(at=0)
        .step("refuse", at=100, line=3, file="flows/refuse.flow.yaml", happened=False,
              reason="no consent dialog with a refuse button within 15s")
        .build()
    )
    (why,) = build_timeline(trace.markers()).unreached()
    assert why.startswith("step refuse (flows/refuse.flow.yaml:3) did not happen: no consent")
    translated = Translator("zh").reason(why)
    assert translated.startswith("步骤 refuse（flows/refuse.flow.yaml 第 3 行）未完成")
