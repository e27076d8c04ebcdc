"""RunFolder: one safe, unique directory per scenario."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.reports import RunFolder
from harness.reports._text import slugify

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_hostile_names_stay_inside(tmp_path: Path) -> None:
    folder = RunFolder(tmp_path / "run")
    root = (tmp_path / "run" / "scenarios").resolve()
    for name in [
        "../../etc/passwd",
        "/abs/path",
        "..",
        "C:\\win",
        "CON",
        "<script>",
        "$(rm -rf /)",
    ]:
        d = folder.scenario_dir(name)
        assert d.resolve().parent == root
        assert SLUG.match(d.name), d.name


def test_same_scenario_same_dir_colliding_names_differ(tmp_path: Path) -> None:
    folder = RunFolder(tmp_path / "run")
    a = folder.scenario_dir("News: agree", file="a.yaml")
    assert folder.scenario_dir("News: agree", file="a.yaml") == a
    b = folder.scenario_dir("News agree", file="b.yaml")
    c = folder.scenario_dir("News: agree", file="c.yaml")
    assert a.name == "news-agree"
    assert b.name == "news-agree-2" and c.name == "news-agree-3"


def test_non_ascii_names_do_not_collapse(tmp_path: Path) -> None:
    folder = RunFolder(tmp_path / "run")
    assert folder.scenario_dir("新闻 拒绝") != folder.scenario_dir("新闻 同意")
    assert slugify("News app — agree") == "news-app-agree"  # punctuation loss needs no hash


def test_existing_symlink_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "run" / "scenarios").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "run" / "scenarios" / "news").symlink_to(tmp_path / "elsewhere")
    d = RunFolder(tmp_path / "run").scenario_dir("News")
    assert d.name == "news-2" and not d.is_symlink()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_name_slugs_safely(name: str) -> None:
    slug = slugify(name)
    assert SLUG.match(slug)
    assert len(slug) <= 70
