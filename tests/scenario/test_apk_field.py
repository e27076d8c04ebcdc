"""`apk:` as a path, a list (a base and its splits) or a folder, relative to the file;
what is missing is named with its line."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from harness.errors import InputError
from harness.scenario.loader import load_scenarios
from harness.scenario.schema import scenario_json_schema


def _load(tmp_path: Path, apk: str) -> list[Path] | None:
    f = tmp_path / "s.yaml"
    f.write_text(f"name: n\napk: {apk}\nsteps: [agree]\n", "utf-8")
    [scenario] = load_scenarios(f)
    return scenario.apk


def test_a_path_a_list_or_a_folder(tmp_path: Path) -> None:
    (tmp_path / "base.apk").write_bytes(b"PK\x05\x06")
    (tmp_path / "split_config.x86_64.apk").write_bytes(b"PK\x05\x06")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "base.apk").write_bytes(b"PK\x05\x06")
    assert _load(tmp_path, "base.apk") == [tmp_path / "base.apk"]
    assert _load(tmp_path, "[split_config.x86_64.apk, base.apk]") == [
        tmp_path / "split_config.x86_64.apk", tmp_path / "base.apk"]
    assert _load(tmp_path, "app") == [tmp_path / "app"]
    schema = jsonschema.Draft202012Validator(scenario_json_schema())
    for apk in ("base.apk", ["base.apk", "split.apk"]):
        assert not list(schema.iter_errors({"name": "n", "apk": apk, "steps": ["agree"]}))
    assert list(schema.iter_errors({"name": "n", "apk": [], "steps": ["agree"]}))


@pytest.mark.parametrize(("apk", "words"), [
    ("[base.apk, nope.apk]", "file not found: "),
    ("empty", "a folder with no .apk file in it"),
    ("[]", "an empty list"),
])
def test_what_is_wrong_is_named(tmp_path: Path, apk: str, words: str) -> None:
    (tmp_path / "base.apk").write_bytes(b"PK\x05\x06")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as err:
        _load(tmp_path, apk)
    assert words in str(err.value) and "s.yaml:2" in str(err.value)
