from __future__ import annotations

import pytest

from harness.ui import (
    DEFAULT_CONSENT_MATCHERS,
    TextMatcher,
    dialog_state,
    find_consent,
    parse_hierarchy,
)

from .dumps import consent_dialog, dump, node


def test_finds_both_buttons_inside_the_dialog_not_the_activity_ok() -> None:
    dialog = find_consent(parse_hierarchy(consent_dialog(agree="同意并继续", refuse="暂不使用")))
    assert dialog is not None
    assert dialog.agree is not None and dialog.agree.text == "同意并继续"
    assert dialog.refuse is not None and dialog.refuse.text == "暂不使用"
    assert dialog.agree.center == (760, 1480)
    assert "用户协议与隐私政策" in dialog.texts
    assert "头条新闻" not in dialog.texts  # container is the dialog, not the screen
    assert dialog.package == "com.example.news"


@pytest.mark.parametrize(
    "agree, refuse",
    [("同意", "不同意"), ("Agree", "Disagree"), ("ACCEPT ALL", "No thanks"), ("I agree", "Reject")],
)
def test_default_matchers_in_chinese_and_english(agree: str, refuse: str) -> None:
    dialog = find_consent(
        parse_hierarchy(consent_dialog(agree=agree, refuse=refuse, title="Privacy Policy"))
    )
    assert dialog is not None and dialog.agree is not None and dialog.refuse is not None
    assert (dialog.agree.text, dialog.refuse.text) == (agree, refuse)


def test_refuse_is_not_mistaken_for_agree() -> None:
    # "不同意" contains "同意": the anchored defaults keep them apart
    dialog = find_consent(parse_hierarchy(consent_dialog()))
    assert dialog is not None and dialog.agree is not None and dialog.refuse is not None
    assert dialog.agree.text == "同意" and dialog.refuse.text == "不同意"


def test_non_clickable_label_resolves_to_its_clickable_layout() -> None:
    dialog = find_consent(parse_hierarchy(consent_dialog(wrap_buttons=True)))
    assert dialog is not None and dialog.agree is not None and dialog.refuse is not None
    assert dialog.agree.clickable and dialog.agree.resource_id.endswith("btn_agree")
    assert dialog.refuse.clickable and dialog.refuse.resource_id.endswith("btn_refuse")


def test_spaced_label_matches() -> None:
    dialog = find_consent(parse_hierarchy(consent_dialog(agree="同 意")))
    assert dialog is not None and dialog.agree is not None


def test_no_dialog_text_means_no_dialog() -> None:
    tree = parse_hierarchy(
        dump(node(children=(node("android.widget.Button", text="同意", clickable=True),)))
    )
    assert find_consent(tree) is None


def test_dialog_without_buttons_is_reported_without_buttons() -> None:
    tree = parse_hierarchy(
        dump(node(children=(node(text="隐私政策已更新", bounds=(0, 0, 10, 10)),)))
    )
    dialog = find_consent(tree)
    assert dialog is not None and dialog.agree is None and dialog.refuse is None


def test_topmost_window_wins() -> None:
    lower = node(
        pkg="com.other",
        children=(
            node(text="Privacy Policy", bounds=(0, 0, 100, 10), pkg="com.other"),
            node(
                "android.widget.Button",
                text="Agree",
                bounds=(0, 20, 100, 40),
                clickable=True,
                pkg="com.other",
            ),
        ),
    )
    upper = node(
        children=(
            node(text="隐私政策", bounds=(0, 0, 100, 10)),
            node("android.widget.Button", text="同意", bounds=(0, 50, 100, 70), clickable=True),
        )
    )
    dialog = find_consent(parse_hierarchy(dump(lower, upper)))
    assert dialog is not None and dialog.agree is not None and dialog.agree.text == "同意"


def test_overridden_matchers() -> None:
    tree = parse_hierarchy(consent_dialog(agree="好的", refuse="退出", title="个人信息保护指引"))
    assert find_consent(tree) is not None
    default = find_consent(tree)
    assert default is not None and default.agree is None
    custom = DEFAULT_CONSENT_MATCHERS.with_overrides(agree="^好的$", refuse="^退出$")
    dialog = find_consent(tree, custom)
    assert dialog is not None and dialog.agree is not None and dialog.refuse is not None
    assert (dialog.agree.text, dialog.refuse.text) == ("好的", "退出")


def test_text_and_resource_id_matchers() -> None:
    tree = parse_hierarchy(consent_dialog())
    by_id = tree.find(TextMatcher.resource_id("btn_agree"))
    assert [n.text for n in by_id] == ["同意"]
    assert [
        n.text for n in tree.find(TextMatcher.resource_id("com.example.news:id/btn_agree"))
    ] == ["同意"]
    assert tree.find(TextMatcher.resource_id("agree")) == []
    assert [n.text for n in tree.find(TextMatcher.exact("  同意 "))] == ["同意"]
    assert tree.find_first(TextMatcher.exact("nope")) is None
    node_ = tree.hit(760, 1480)
    assert node_ is not None and node_.text == "同意"


def test_content_desc_is_matched() -> None:
    tree = parse_hierarchy(
        dump(
            node(
                children=(
                    node(text="Privacy Policy", bounds=(0, 0, 10, 10)),
                    node(
                        "android.widget.ImageButton",
                        desc="Accept",
                        bounds=(0, 20, 10, 30),
                        clickable=True,
                    ),
                )
            )
        )
    )
    dialog = find_consent(tree)
    assert dialog is not None and dialog.agree is not None and dialog.agree.content_desc == "Accept"


def _dialog_with_box(box: str) -> str:
    """A consent dialog window with a checkbox row (``box``) between body and buttons."""
    return dump(node(children=(
        node("android.widget.TextView", text="用户协议与隐私政策", bounds=(120, 720, 960, 800)),
        node("android.widget.TextView", text="请阅读《隐私政策》", bounds=(120, 820, 960, 1000)),
        box,
        node("android.widget.Button", text="不同意", bounds=(120, 1400, 520, 1560),
             clickable=True),
        node("android.widget.Button", text="同意", bounds=(560, 1400, 960, 1560),
             clickable=True),
    ), bounds=(90, 700, 990, 1600)))


def test_dialog_state_reports_a_ticked_box_and_the_refuse_choice() -> None:
    box = node("android.widget.CheckBox", text="我已阅读并同意", bounds=(120, 1100, 960, 1200),
               clickable=True, checkable=True, checked=True)
    dialog = find_consent(parse_hierarchy(_dialog_with_box(box)))
    assert dialog is not None
    state = dialog_state(dialog)
    assert state["checkboxes"] == [{"text": "我已阅读并同意", "checkable": True, "checked": True}]
    assert state["refuse_choice"] is True
    assert state["buttons"] == ["不同意", "同意"]


def test_a_bare_checkbox_is_named_by_the_text_beside_it() -> None:
    row = node("android.widget.LinearLayout", bounds=(120, 1100, 960, 1200), children=(
        node("android.widget.CheckBox", bounds=(120, 1100, 200, 1200), clickable=True,
             checkable=True),
        node("android.widget.TextView", text="我已阅读并同意《隐私政策》",
             bounds=(200, 1100, 960, 1200)),
    ))
    dialog = find_consent(parse_hierarchy(_dialog_with_box(row)))
    assert dialog is not None
    assert dialog_state(dialog)["checkboxes"] == [
        {"text": "我已阅读并同意《隐私政策》", "checkable": True, "checked": False}]


def test_a_dialog_without_a_refuse_button_says_so_and_one_not_understood_says_nothing() -> None:
    only_agree = dump(node(children=(
        node("android.widget.TextView", text="隐私政策", bounds=(120, 720, 960, 800)),
        node("android.widget.Button", text="同意", bounds=(560, 1400, 960, 1560),
             clickable=True),
    )))
    dialog = find_consent(parse_hierarchy(only_agree))
    assert dialog is not None and dialog_state(dialog)["refuse_choice"] is False
    no_buttons = dump(node(children=(
        node("android.widget.TextView", text="隐私政策", bounds=(120, 720, 960, 800)),
        node("android.widget.Button", text="好的呀", bounds=(560, 1400, 960, 1560),
             clickable=True),
    )))
    unknown = find_consent(parse_hierarchy(no_buttons))
    assert unknown is not None and dialog_state(unknown) == {}


@pytest.mark.parametrize("label", ["退出应用", "暂不同意", "以后再说", "Not now", "Cancel"])
def test_common_refuse_labels_count_as_a_refuse_choice(label: str) -> None:
    dialog = find_consent(parse_hierarchy(consent_dialog(refuse=label)))
    assert dialog is not None and dialog.refuse is not None and dialog.refuse.text == label
