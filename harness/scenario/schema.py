"""JSON Schema of one scenario document, for editors (yaml-language-server & co).

Derived from the pydantic models, then reshaped to the YAML surface: a step is a bare
name or a one-key mapping whose value is the options or the shorthand option.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.scenario.flows import Flow
from harness.scenario.model import EXPECT_KEY_RE, Scenario, known_expect_keys
from harness.scenario.steps import LOAD_TIME_STEPS, STEP_TYPES, StepBase

SCHEMA_ID = "https://consent-harness.invalid/schema/scenario.json"
FLOW_SCHEMA_ID = "https://consent-harness.invalid/schema/flow.json"
_STEP = {"$ref": "#/$defs/Step"}


def scenario_json_schema() -> dict[str, Any]:
    """The schema of one scenario document (a file may hold several, as YAML ``---``)."""
    schema = _with_steps(Scenario.model_json_schema(ref_template="#/$defs/{model}"))
    defs = schema["$defs"]
    props = schema["properties"]
    props["timeout"] = {
        "description": defs["Timeouts"].get("description", ""),
        "anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"$ref": "#/$defs/Timeouts"}],
    }
    # The rule ids of this consent-harness (the registry, read now), so editors complete
    # them; the pattern also admits the shape of rules a newer version may add.
    props["expect"]["propertyNames"] = {
        "anyOf": [{"enum": known_expect_keys()}, {"pattern": EXPECT_KEY_RE.pattern}]
    }
    props["steps"]["items"] = _STEP
    schema["anyOf"] = [{"required": ["app"]}, {"required": ["apk"]}]
    schema["not"] = {"required": ["app", "apk"]}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "consent-harness scenario"
    return schema


def flow_json_schema() -> dict[str, Any]:
    """The schema of a flow file (``*.flow.yaml``, what ``run_flow`` names)."""
    schema = _with_steps(Flow.model_json_schema(ref_template="#/$defs/{model}"))
    schema["properties"]["steps"]["items"] = _STEP
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = FLOW_SCHEMA_ID
    schema["title"] = "consent-harness flow"
    return schema


def _with_steps(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every union of the step models replaced by ``Step``: a step name
    or a one-key mapping, ``run_flow`` (read by the loader, in no model's union) included."""
    in_union = {n: c for n, c in STEP_TYPES.items() if n not in LOAD_TIME_STEPS}
    step_refs = {f"#/$defs/{cls.__name__}" for cls in in_union.values()}
    schema = _replace_step_unions(schema, step_refs)
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    for name in LOAD_TIME_STEPS:
        cls = STEP_TYPES[name]
        defs[cls.__name__] = cls.model_json_schema(ref_template="#/$defs/{model}")
    defs["Step"] = {
        "description": "A step name, or a mapping with one key: the step name.",
        "anyOf": [form for cls in STEP_TYPES.values() for form in _forms(cls, defs)],
    }
    return schema


def _forms(cls: type[StepBase], defs: dict[str, Any]) -> list[dict[str, Any]]:
    options = defs[cls.__name__]
    required = options.get("required", [])
    doc = f"{(cls.__doc__ or '').strip()} Example: {cls.example}"
    values: list[dict[str, Any]] = [{"$ref": f"#/$defs/{cls.__name__}"}]
    if cls.shorthand is not None:
        values.append(copy.deepcopy(options["properties"][cls.shorthand]))
    forms: list[dict[str, Any]] = []
    if not required:
        values.append({"type": "null"})
        forms.append({"const": cls.kind, "description": doc})
    forms.append(
        {
            "type": "object",
            "description": doc,
            "properties": {cls.kind: {"anyOf": values}},
            "required": [cls.kind],
            "additionalProperties": False,
        }
    )
    return forms


def _replace_step_unions(node: Any, step_refs: set[str]) -> Any:
    """Swap every ``anyOf`` of all the step models for a reference to ``Step``."""
    if isinstance(node, dict):
        refs = node.get("anyOf")
        if (
            isinstance(refs, list)
            and len(refs) == len(step_refs)
            and {r.get("$ref") for r in refs if isinstance(r, dict)} == step_refs
        ):
            return dict(_STEP)
        return {k: _replace_step_unions(v, step_refs) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_step_unions(v, step_refs) for v in node]
    return node
