from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.errors import HarnessError
from harness.ui import Bounds, UiDumpError, parse_hierarchy
from harness.ui.parse import _ILLEGAL, MAX_NODES

from .dumps import HEAD, consent_dialog, dump, node


def test_parses_nodes_attributes_and_windows() -> None:
    tree = parse_hierarchy(consent_dialog())
    assert len(tree.roots) == 2
    agree = [n for n in tree.iter() if n.text == "同意"][0]
    assert agree.class_name == "android.widget.Button"
    assert agree.resource_id == "com.example.news:id/btn_agree"
    assert agree.package == "com.example.news"
    assert agree.clickable and agree.enabled
    assert agree.bounds == Bounds(560, 1400, 960, 1560)
    assert agree.center == (760, 1480)
    assert agree.parent is not None and agree.parent.class_name == "android.widget.LinearLayout"
    assert tree.packages() == ["com.example.news"]
    assert "头条新闻" in tree.texts()


def test_bytes_and_trailer_from_dev_tty_are_accepted() -> None:
    raw = ("junk\n" + dump(node(text="x")) + "UI hierchary dumped to: /dev/tty\n").encode()
    tree = parse_hierarchy(raw)
    assert [n.text for n in tree.iter()] == ["x"]


def test_control_characters_in_app_text_are_replaced_not_fatal() -> None:
    xml = dump(node(text="ab")).replace('text="ab"', 'text="a\x01b"')
    assert [n.text for n in parse_hierarchy(xml).iter()] == ["a\ufffdb"]


def test_deep_nesting_does_not_recurse() -> None:
    depth = 5000
    xml = HEAD + "<hierarchy>" + '<node text="d">' * depth + "</node>" * depth + "</hierarchy>"
    tree = parse_hierarchy(xml)
    leaf = list(tree.iter())[-1]
    assert sum(1 for _ in leaf.ancestors()) == depth - 1


@pytest.mark.parametrize(
    "xml, needle",
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("ERROR: could not get idle state.", "no <hierarchy>"),
        (HEAD + "<hierarchy><node text='a'>", "malformed"),  # truncated
        (HEAD + "<screen></screen>", "not <hierarchy>"),
        ("<?xml version='1.0'?><screen/>", "root element is <screen>"),
        (dump(node(text="a")).replace("[0,0][1080,2340]", "[0,0]"), "bounds"),
        (dump(node()).replace('rotation="0"', 'rotation="x"'), "rotation"),
        (
            "<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaa'>]><hierarchy>&a;</hierarchy>",
            "DOCTYPE",
        ),
    ],
)
def test_malformed_dumps_raise_uidumperror(xml: str, needle: str) -> None:
    with pytest.raises(UiDumpError, match=needle) as info:
        parse_hierarchy(xml)
    assert isinstance(info.value, HarnessError)


def test_node_budget() -> None:
    xml = dump(*(node() for _ in range(MAX_NODES + 1)))
    with pytest.raises(UiDumpError, match="more than"):
        parse_hierarchy(xml)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_input_is_a_tree_or_a_uidumperror(data: str | bytes) -> None:
    try:
        parse_hierarchy(data)
    except UiDumpError:
        pass


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=20), st.booleans(), st.integers(0, 5000), st.integers(0, 5000)),
        min_size=1,
        max_size=20,
    )
)
def test_texts_and_bounds_round_trip(items: list[tuple[str, bool, int, int]]) -> None:
    xml = dump(
        node(
            children=tuple(
                node(text=t, clickable=c, bounds=(x, y, x + 10, y + 10)) for t, c, x, y in items
            )
        )
    )
    tree = parse_hierarchy(xml)
    leaves = tree.roots[0].children
    assert len(leaves) == len(items)
    for leaf, (text, clickable, x, y) in zip(leaves, items, strict=True):
        assert leaf.clickable is clickable
        assert leaf.bounds == Bounds(x, y, x + 10, y + 10)
        assert leaf.text == _ILLEGAL.sub("\ufffd", text)
