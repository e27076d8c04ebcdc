from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.scenario import STEP_TYPES, load_scenarios, scenario_files, scenario_json_schema
from harness.scenario.yamlsrc import read_documents

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [Path(__file__).parent / "data" / "good"] + [
    p for p in (REPO / "scenarios",) if p.is_dir()
]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _documents() -> list[tuple[str, Any]]:
    out = []
    for root in EXAMPLES:
        for file in scenario_files(root):
            for doc in read_documents(file):
                if isinstance(doc.data, dict) and "steps" in doc.data:
                    out.append((f"{file.relative_to(REPO)}#{doc.index}", doc.data))
    return out


@pytest.mark.parametrize("name, data", _documents())
def test_bundled_examples_match_the_schema(
    validator: jsonschema.Draft202012Validator, name: str, data: Any
) -> None:
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == [], name


def test_bundled_examples_load() -> None:
    assert load_scenarios(EXAMPLES[0])
    for root in EXAMPLES[1:]:
        load_scenarios(root)  # the project's own scenarios: no error


def test_schema_is_json_and_names_every_step() -> None:
    schema = scenario_json_schema()
    json.dumps(schema)
    named = set()
    for form in schema["$defs"]["Step"]["anyOf"]:
        named |= {form["const"]} if "const" in form else set(form["properties"])
    assert named == set(STEP_TYPES)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "n", "steps": ["agree"]},  # neither app nor apk
        {"name": "n", "app": "a.b", "apk": "x.apk", "steps": ["agree"]},
        {"name": "n", "app": "a.b", "steps": ["agre"]},
        {"name": "n", "app": "a.b", "steps": ["observe"]},  # observe needs seconds
        {"name": "n", "app": "a.b", "steps": [{"tap": {"text": "a", "point": [1, 2]}}]},
        {"name": "n", "app": "a.b", "steps": [{"observe": 3, "timeout": 2}]},
        {"name": "n", "app": "a.b", "steps": [{"withdraw": ["agre"]}]},
        {"name": "n", "app": "a.b", "steps": ["agree"], "scope": ["locaton"]},
        {"name": "n", "app": "a.b", "steps": ["agree"], "expect": {"7.3": "fail"}},
        {"name": "n", "app": "a.b", "steps": ["agree"], "launch": {"strategy": "fork"}},
        {"name": "n", "app": "a.b", "steps": ["agree"], "extra": 1},
    ],
)
def test_schema_rejects_what_the_loader_rejects(
    validator: jsonschema.Draft202012Validator, data: dict[str, Any]
) -> None:
    assert list(validator.iter_errors(data)), data
