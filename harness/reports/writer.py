"""``write_reports``: fill a run folder and seal it with its manifest (DESIGN §4.6)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from harness.errors import InputError
from harness.model import RunSummary, ScenarioResult
from harness.reports.digest import digest_trace
from harness.reports.folder import (
    DIALOG_PNG,
    TRACE,
    VERDICTS,
    VIOLATION_PNG,
    RunFolder,
)
from harness.reports.html_report import ScenarioView, evidence_seqs, render_html, scenario_anchor
from harness.reports.junit import render_junit
from harness.reports.manifest import _safe_rel, write_manifest

SCREENSHOTS = ((DIALOG_PNG, "consent dialog"), (VIOLATION_PNG, "first violation"))


@dataclass(frozen=True)
class WrittenRun:
    """What ``write_reports`` produced."""

    folder: Path
    summary: RunSummary
    manifest_sha256: str


def _scenario_dir(folder: RunFolder, result: ScenarioResult) -> Path:
    """Where a scenario's files live: next to its recorded trace, else a fresh slug dir.

    A ``trace`` path that would leave ``DIR/scenarios/`` is ignored, never followed.
    """
    if result.trace:
        rel = _safe_rel(result.trace)
        if rel is not None and rel.startswith("scenarios/") and rel.count("/") == 2:
            candidate = (folder.path / rel).parent
            if not candidate.is_symlink():
                root = folder.scenarios_root.resolve()
                if candidate.resolve().parent == root:
                    candidate.mkdir(parents=True, exist_ok=True)
                    return candidate
    return folder.scenario_dir(result.scenario, file=result.file)


def write_reports(
    folder: RunFolder | str | Path,
    summary: RunSummary,
    traces: dict[str, Path] | None = None,
    *,
    created_at: str | None = None,
) -> WrittenRun:
    """Write ``summary.json``, each ``verdicts.json``, ``junit.xml``, ``report.html``, and
    then ``manifest.json`` over everything in the folder.

    ``traces`` maps a scenario *name* to a trace file that is copied to
    ``scenarios/<slug>/trace.jsonl``; without it (or for scenarios it does not name) the
    trace already in the scenario's directory is used, if any. Screenshots
    (``dialog.png``, ``first-violation.png``) are whatever the runner left in the
    scenario's directory. ``created_at`` fixes the manifest time (tests).
    """
    run = folder if isinstance(folder, RunFolder) else RunFolder(folder)
    run.path.mkdir(parents=True, exist_ok=True)
    traces = traces or {}
    for name, path in traces.items():
        if not Path(path).is_file():
            raise InputError(f"trace of scenario {name!r} not found", path=str(path))

    results: list[ScenarioResult] = []
    views: list[ScenarioView] = []
    for index, result in enumerate(summary.scenarios):
        sdir = _scenario_dir(run, result)
        trace_path = sdir / TRACE
        given = traces.get(result.scenario)
        if given is not None and Path(given).resolve() != trace_path.resolve():
            shutil.copyfile(given, trace_path)
        has_trace = trace_path.is_file() and not trace_path.is_symlink()
        result = result.model_copy(
            update={"trace": run.relative(trace_path) if has_trace else None}
        )
        (sdir / VERDICTS).write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
        results.append(result)

        rel_dir = run.relative(sdir)
        files = [("verdicts.json", f"{rel_dir}/{VERDICTS}")]
        digest = None
        if has_trace:
            files.insert(0, ("trace.jsonl", f"{rel_dir}/{TRACE}"))
            digest = digest_trace(
                trace_path, evidence_seqs=evidence_seqs(result), app_package=result.package
            )
        shots = [
            (caption, f"{rel_dir}/{name}")
            for name, caption in SCREENSHOTS
            if (sdir / name).is_file() and not (sdir / name).is_symlink()
        ]
        views.append(
            ScenarioView(
                result=result,
                anchor=scenario_anchor(index),
                rel_dir=rel_dir,
                digest=digest,
                screenshots=shots,
                files=files,
            )
        )

    final = summary.model_copy(update={"scenarios": results})
    run.summary_path.write_text(final.model_dump_json(indent=2) + "\n", encoding="utf-8")
    run.junit_path.write_bytes(render_junit(final))
    run.html_path.write_text(render_html(final, views), encoding="utf-8")
    digest_hex = write_manifest(run.path, created_at=created_at)
    return WrittenRun(folder=run.path, summary=final, manifest_sha256=digest_hex)
