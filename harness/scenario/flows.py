"""``run_flow``: flow files — reusable lists of steps — put in place at load time.

A flow file (``*.flow.yaml``) is one YAML document, a mapping with ``steps:`` (required)
and ``name:`` (optional)::

    name: log in as the test user
    steps:
      - tap: {text: 登录}
      - input_text: {value: tester, resource_id: user}

``- run_flow: flows/login.flow.yaml`` (relative to the file that names it) is replaced by
those steps, each keeping its own line and :attr:`StepBase.flow_file`, so errors and step
markers name where the step really is. Flows may run flows, ``MAX_FLOW_DEPTH`` deep; a
flow that runs itself (directly or not) is an error naming the chain. The scenario's
runner never sees a ``run_flow``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import ScenarioError
from harness.scenario.messages import error_loc, message
from harness.scenario.steps import FLOW_SUFFIXES, RunFlowStep, Step, StepBase
from harness.scenario.yamlsrc import Document, YamlPath, error_at, read_documents

#: How deep flows may run flows (a scenario's ``run_flow`` is level 1).
MAX_FLOW_DEPTH = 5
#: Header keys of a scenario: in a flow file they get a word on where they belong.
_SCENARIO_KEYS = frozenset({"app", "apk", "tags", "scope", "launch", "matchers", "timeout",
                            "expect", "rules", "rule_options"})
_VIA = " (in the flow run from "
_CYCLE = "flow cycle"
_DEEP = "flows nested deeper"


class Flow(BaseModel):
    """What a flow file holds."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1)] | None = None
    steps: list[Step] = Field(min_length=1)


def is_flow_file(path: Path) -> bool:
    return path.name.endswith(FLOW_SUFFIXES)


#: Parses a list of raw steps (the loader's ``_steps``), expanding ``run_flow`` through
#: :func:`expand` with the context it is given.
StepParser = Callable[[list[Any], YamlPath, Document, list[ScenarioError], "FlowContext"],
                      list[StepBase]]


@dataclass
class FlowContext:
    """Where the loader is: which flows are open (outermost first) and, shared by every
    scenario of one checked file, the flow files read once."""

    #: ``(resolved flow file, "file:line" of the run_flow that opened it)``
    chain: tuple[tuple[Path, str], ...] = ()
    #: The flow file whose steps are being read; None for the scenario file's own.
    flow_file: Path | None = None
    cache: dict[Path, list[Document] | ScenarioError] = field(default_factory=dict)
    #: Every flow file read (resolved), for ``Scenario.flow_files`` and ``validate``.
    used: list[Path] = field(default_factory=list)


def expand(step: RunFlowStep, doc: Document, path: YamlPath, errors: list[ScenarioError],
           ctx: FlowContext, parse: StepParser) -> list[StepBase]:
    """The steps of the flow ``step`` names (appending to ``errors`` what is wrong)."""
    site = f"{doc.file}:{doc.line_of(path)}"
    here = path + (RunFlowStep.kind,)
    shown = Path(os.path.normpath(doc.file.parent / step.file))
    try:
        resolved = shown.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        resolved = shown
    opened = [p for p, _ in ctx.chain]
    if resolved in opened:
        first = opened.index(resolved)
        runs = [s for _, s in ctx.chain[first:] if s] + [site, str(shown)]
        errors.append(error_at(doc, here, f"{_CYCLE} (a flow runs itself): " + " → ".join(runs)))
        return []
    depth = sum(1 for _, s in ctx.chain if s)  # a flow checked on its own has no site
    if depth >= MAX_FLOW_DEPTH:
        runs = [s for _, s in ctx.chain if s] + [site, str(shown)]
        errors.append(error_at(doc, here, f"{_DEEP} than {MAX_FLOW_DEPTH} levels: "
                                          + " → ".join(runs)))
        return []
    if not shown.is_file():
        what = "is not a file" if shown.exists() else "not found"
        errors.append(error_at(doc, here, f"flow file {what}: {shown} (run_flow paths are "
                                          "relative to the file that names them)"))
        return []
    if resolved not in ctx.used:
        ctx.used.append(resolved)
    inner = replace(ctx, chain=ctx.chain + ((resolved, site),), flow_file=shown)
    flow_errors: list[ScenarioError] = []
    flow = read_flow(shown, resolved, flow_errors, inner, parse)
    for err in flow_errors:
        # Say which run_flow reached a flow's problem, unless it names its chain already.
        if (err.path == str(shown) and not err.detail.startswith((_CYCLE, _DEEP))
                and _VIA not in err.detail):
            err = ScenarioError(f"{err.detail}{_VIA}{site})", path=err.path, line=err.line,
                                field=err.field)
        errors.append(err)
    return [] if flow is None else list(flow.steps)


def read_flow(shown: Path, resolved: Path, errors: list[ScenarioError], ctx: FlowContext,
              parse: StepParser) -> Flow | None:
    """The flow in ``shown`` with fresh step models (their flow runs expanded), or None."""
    docs = ctx.cache.get(resolved)
    if docs is None:
        try:
            docs = list(read_documents(shown))
        except ScenarioError as exc:
            docs = exc
        ctx.cache[resolved] = docs
    if isinstance(docs, ScenarioError):
        errors.append(docs)
        return None
    if not docs:
        errors.append(ScenarioError("empty flow file: a flow is a mapping with steps "
                                    "(and an optional name)", path=str(shown)))
        return None
    if len(docs) > 1:
        errors.append(error_at(docs[1], (), "a flow file holds one flow (one YAML document); "
                                            "put other flows in their own *.flow.yaml files"))
        return None
    doc = docs[0]
    if not isinstance(doc.data, dict):
        errors.append(error_at(doc, (), "a flow file is a mapping with steps (and an optional "
                                        f"name), e.g. `steps: [agree, {{observe: 3}}]`; got "
                                        f"{type(doc.data).__name__}"))
        return None
    before = len(errors)
    header: dict[str, Any] = dict(doc.data)
    raw_steps = doc.data.get("steps")
    if isinstance(raw_steps, list):
        header["steps"] = parse(raw_steps, ("steps",), doc, errors, ctx)
    steps_failed = len(errors) > before
    try:
        flow = Flow.model_validate(header)
    except ValidationError as exc:
        for err in exc.errors():
            loc = error_loc(err)
            if steps_failed and loc[:1] == ("steps",):
                continue  # already reported, step by step
            text = message(err, Flow)
            if err["type"] == "extra_forbidden" and loc[-1] in _SCENARIO_KEYS:
                text += ("; a flow has no header of its own: it runs in the scenario that "
                         "names it")
            errors.append(error_at(doc, loc, text))
        return None
    return None if steps_failed else flow
