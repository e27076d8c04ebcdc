"""Scenario files → :class:`Scenario` models, parsed once, with file:line:field errors."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.errors import ScenarioError
from harness.scenario.flows import FlowContext, expand, is_flow_file, read_flow
from harness.scenario.messages import error_loc, message
from harness.scenario.model import Scenario, Source, expect_key_problem
from harness.scenario.steps import STEP_TYPES, RunFlowStep, StepBase
from harness.scenario.yamlsrc import Document, YamlPath, error_at, field_name, read_documents

SUFFIXES = (".yaml", ".yml")
_error = error_at
__all__ = ["FileReport", "check_file", "check_paths", "field_name", "flow_files",
           "load_scenarios", "scenario_files"]


@dataclass
class FileReport:
    """What one scenario file holds: its scenarios, or what is wrong with it. A flow file
    (``*.flow.yaml``) checked on its own has no scenarios and ``flow_steps`` set."""

    path: Path
    scenarios: list[Scenario] = field(default_factory=list)
    errors: list[ScenarioError] = field(default_factory=list)
    #: The flow files its ``run_flow`` steps read (resolved paths), in first-use order.
    flows: list[Path] = field(default_factory=list)
    #: How many steps the flow has, for a flow file checked on its own.
    flow_steps: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def scenario_files(path: str | Path) -> list[Path]:
    """``path`` itself if it is a file, else every *.yaml / *.yml below it, sorted.

    Hidden files and folders (``.name``) are skipped, and so are flow files
    (``*.flow.yaml``: steps for ``run_flow``, not scenarios)."""
    root = Path(path)
    if root.is_file():
        return [root]
    return [p for p in _yaml_files(root) if not is_flow_file(p)]


def flow_files(path: str | Path) -> list[Path]:
    """The flow files (``*.flow.yaml``) below a folder, sorted (``path`` if it is one)."""
    root = Path(path)
    if root.is_file():
        return [root] if is_flow_file(root) else []
    return [p for p in _yaml_files(root) if is_flow_file(p)]


def _yaml_files(root: Path) -> list[Path]:
    if not root.is_dir():
        raise ScenarioError("no such file or directory", path=str(root))
    found = [
        p
        for p in root.rglob("*")
        if p.suffix in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Every scenario of a file or a directory (recursive), in file order.

    Raises the first :class:`ScenarioError` found (saying how many more there are)."""
    scenarios: list[Scenario] = []
    for file in scenario_files(path):
        if is_flow_file(file):
            raise ScenarioError("a flow file holds steps, not a scenario: run a scenario "
                                "that names it (`- run_flow: …`)", path=str(file))
        report = check_file(file)
        if report.errors:
            first = report.errors[0]
            more = len(report.errors) - 1
            if more:
                raise ScenarioError(
                    f"{first.detail} (and {more} more problem{'s' if more > 1 else ''} in "
                    "this file; `consent-harness validate` lists them all)",
                    path=first.path,
                    line=first.line,
                    field=first.field,
                )
            raise first
        scenarios.extend(report.scenarios)
    return scenarios


def check_paths(paths: Iterable[str | Path]) -> list[FileReport]:
    """Check files and directories; never raises for a bad file, reports it instead.

    A folder's flow files that none of its scenarios runs are checked on their own."""
    reports: list[FileReport] = []
    for path in paths:
        try:
            files = scenario_files(path)
            flows = flow_files(path) if Path(path).is_dir() else []
        except ScenarioError as exc:
            reports.append(FileReport(Path(path), errors=[exc]))
            continue
        if not files and not flows:
            reports.append(
                FileReport(
                    Path(path), errors=[ScenarioError("no *.yaml or *.yml files", path=str(path))]
                )
            )
        checked = [check_file(f) for f in files]
        used = {p for report in checked for p in report.flows}
        checked += [check_file(f) for f in flows if f.resolve() not in used]
        reports.extend(checked)
    return reports


def check_file(path: Path) -> FileReport:
    """Parse one file, collecting every problem rather than stopping at the first."""
    if is_flow_file(path):
        return check_flow_file(path)
    report = FileReport(path)
    seen: dict[str, int] = {}
    cache: dict[Path, Any] = {}
    try:
        for doc in read_documents(path):
            ctx = FlowContext(cache=cache)
            scenario = _scenario(doc, report.errors, ctx)
            report.flows += [p for p in ctx.used if p not in report.flows]
            if scenario is None:
                continue
            first = seen.setdefault(scenario.name, scenario.source.line)
            if first != scenario.source.line:
                report.errors.append(
                    _error(
                        doc,
                        ("name",),
                        f"duplicate scenario name {scenario.name!r} in this "
                        f"file (first at line {first})",
                    )
                )
                continue
            report.scenarios.append(scenario)
    except ScenarioError as exc:
        report.errors.append(exc)
    _tidy(report, path)
    if not report.scenarios and not report.errors:
        report.errors.append(ScenarioError("no scenario in this file", path=str(path)))
    return report


def check_flow_file(path: Path) -> FileReport:
    """A flow file on its own: its steps (and the flows they run) are checked."""
    report = FileReport(path)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path
    ctx = FlowContext(chain=((resolved, ""),), flow_file=path)
    flow = read_flow(path, resolved, report.errors, ctx, _steps)
    report.flows = ctx.used
    if flow is not None and not report.errors:
        report.flow_steps = len(flow.steps)
    _tidy(report, path)
    return report


def _tidy(report: FileReport, path: Path) -> None:
    """Each problem once (a flow run twice is wrong once), this file's first, by line."""
    unique: dict[tuple[str | None, int | None, str | None, str], ScenarioError] = {}
    for e in report.errors:
        unique.setdefault((e.path, e.line, e.field, e.detail.split(" (in the flow run")[0]), e)
    report.errors = sorted(unique.values(),
                           key=lambda e: (e.path != str(path), e.path or "", e.line or 0))


def _scenario(doc: Document, errors: list[ScenarioError], ctx: FlowContext) -> Scenario | None:
    data = doc.data
    if not isinstance(data, dict):
        errors.append(
            _error(
                doc,
                (),
                "a scenario is a mapping with name, app (or apk) and steps; "
                f"got {type(data).__name__}",
            )
        )
        return None
    before = len(errors)
    header: dict[str, Any] = dict(data)
    expect = data.get("expect")
    if isinstance(expect, dict):
        # Every unknown rule at its own line (the model's check stops at the first).
        header["expect"] = {
            key: value for key, value in expect.items() if _expect_key_ok(key, doc, errors)
        }
    raw_steps = data.get("steps")
    if isinstance(raw_steps, list):
        header["steps"] = _steps(raw_steps, ("steps",), doc, errors, ctx)
    steps_failed = len(errors) > before
    try:
        scenario = Scenario.model_validate(header, context={"base_dir": doc.file.parent})
    except ValidationError as exc:
        for err in exc.errors():
            loc = error_loc(err)
            if steps_failed and loc[:1] == ("steps",):
                continue  # already reported, step by step
            errors.append(_error(doc, loc, message(err, Scenario)))
        return None
    if steps_failed:
        return None
    scenario._source = Source(file=doc.file, line=doc.line, document=doc.index)
    scenario._flow_files = tuple(ctx.used)
    return scenario


def _expect_key_ok(key: str, doc: Document, errors: list[ScenarioError]) -> bool:
    problem = expect_key_problem(key)
    if problem is not None:
        errors.append(_error(doc, ("expect", key), problem))
    return problem is None


def _steps(raw: list[Any], path: YamlPath, doc: Document, errors: list[ScenarioError],
           ctx: FlowContext) -> list[StepBase]:
    out: list[StepBase] = []
    for i, item in enumerate(raw):
        step = _step(item, path + (i,), doc, errors, ctx)
        if isinstance(step, RunFlowStep):
            out.extend(expand(step, doc, path + (i,), errors, ctx, _steps))
        elif step is not None:
            out.append(step)
    return out


def _step(raw: Any, path: YamlPath, doc: Document, errors: list[ScenarioError],
          ctx: FlowContext) -> StepBase | None:
    names = ", ".join(STEP_TYPES)
    if isinstance(raw, str):
        kind, value, spath = raw.strip(), None, path
    elif isinstance(raw, dict) and len(raw) == 1:
        kind, value = next(iter(raw.items()))
        spath = path + (kind,)
    elif isinstance(raw, dict):
        kinds = [k for k in raw if k in STEP_TYPES]
        if len(kinds) == 1:
            extra = next(k for k in raw if k != kinds[0])
            only = STEP_TYPES[kinds[0]]
            errors.append(
                _error(
                    doc,
                    path + (extra,),
                    f"a step is a mapping with one key; put the options "
                    f"of {kinds[0]!r} under it, e.g. `{only.example}`",
                )
            )
        else:
            errors.append(
                _error(
                    doc,
                    path,
                    "a step is a step name or a mapping with one key (the step "
                    f"name); got keys {', '.join(map(repr, raw)) or 'none'}",
                )
            )
        return None
    else:
        errors.append(
            _error(
                doc,
                path,
                f"expected a step name ({names}) or a one-key mapping such as "
                f"`tap: {{text: OK}}`, got {type(raw).__name__} {raw!r}",
            )
        )
        return None

    cls = STEP_TYPES.get(kind)
    if cls is None:
        close = difflib.get_close_matches(kind, list(STEP_TYPES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        errors.append(_error(doc, spath, f"unknown step {kind!r}{hint}; expected one of: {names}"))
        return None

    if value is None:
        form, params = "bare", {}
    elif isinstance(value, dict):
        form, params = "mapping", dict(value)
    elif cls.shorthand is not None:
        form, params = "shorthand", {cls.shorthand: value}
    else:
        options = ", ".join(cls.model_fields)
        errors.append(
            _error(
                doc,
                spath,
                f"step {kind!r} takes options ({options}), e.g. `{cls.example}`; got {value!r}",
            )
        )
        return None

    before = len(errors)
    nested = params.get("steps")
    if kind == "withdraw" and isinstance(nested, list):
        npath = spath + ("steps",) if form == "mapping" else spath
        params["steps"] = _steps(nested, npath, doc, errors, ctx)
    try:
        step = cls.model_validate(params)
    except ValidationError as exc:
        for err in exc.errors():
            loc = error_loc(err)
            if form == "bare" and err["type"] == "missing":
                errors.append(
                    _error(doc, spath, f"step {kind!r} needs a value, e.g. `{cls.example}`")
                )
                continue
            if form == "shorthand" and loc[:1] == (cls.shorthand,):
                loc = loc[1:]
            errors.append(_error(doc, spath + loc, message(err, cls)))
        return None
    if len(errors) > before:
        return None
    return step.at(doc.line_of(path), ctx.flow_file)
