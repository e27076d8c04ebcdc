"""``write_reports``: fill a run folder and seal it with its manifest (DESIGN §4.6)."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import HarnessError, InputError
from harness.model import RunSummary, ScenarioResult
from harness.reports.digest import TraceDigest, digest_trace, take_digest
from harness.reports.folder import (
    DIALOG_PNG,
    MAX_SCENARIO_BYTES,
    PRINT_HTML,
    SCENARIO_FILE,
    TRACE,
    VERDICTS,
    VIOLATION_PNG,
    XLSX,
    RunFolder,
)
from harness.reports.html_report import ScenarioView, evidence_seqs, render_html, scenario_anchor
from harness.reports.i18n import Lang, Translator, get_translator
from harness.reports.junit import render_junit
from harness.reports.manifest import _safe_rel, write_manifest
from harness.reports.pdf import PdfUnavailable, find_chromium, missing_message, render_pdf
from harness.reports.reasons import N_
from harness.reports.scrub import Scrubber, serials_of

#: (file name, caption msgid)
SCREENSHOTS = ((DIALOG_PNG, N_("consent dialog")), (VIOLATION_PNG, N_("first violation")))
ScenarioSource = str | bytes | Path


@dataclass(frozen=True)
class WrittenRun:
    """What ``write_reports`` produced."""

    folder: Path
    summary: RunSummary
    manifest_sha256: str
    lang: Lang = "en"
    xlsx: Path | None = None
    #: ``report.pdf`` when asked for and rendered.
    pdf: Path | None = None
    #: Why there is no PDF although one was asked for (no Chromium, Chromium failed).
    pdf_error: str | None = None


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


def _store_scenario(sdir: Path, result: ScenarioResult, given: ScenarioSource | None) -> bool:
    """Put the scenario file beside its trace; True when ``scenario.yaml`` is there.

    Order: what the caller gave (text, bytes or a path), else what the runner already
    saved there (:meth:`RunFolder.save_scenario`), else ``result.file`` if it still
    exists as a small regular file (``check``'s temporary files do not: pass the text).
    """
    target = sdir / SCENARIO_FILE
    if target.is_symlink():
        target.unlink()
    data: bytes | None = None
    if isinstance(given, Path):
        if not given.is_file():
            raise InputError("scenario source not found", path=str(given))
        data = given.read_bytes()
    elif isinstance(given, str):
        data = given.encode("utf-8", "surrogatepass")
    elif isinstance(given, bytes):
        data = given
    elif not target.is_file() and result.file:
        path = Path(result.file)
        try:
            small = path.is_file() and path.stat().st_size <= MAX_SCENARIO_BYTES
            if small and not path.is_symlink():
                data = path.read_bytes()
        except OSError:
            data = None
    if data is not None and len(data) <= MAX_SCENARIO_BYTES:
        target.write_bytes(data)
    return target.is_file() and not target.is_symlink()


def _scrub_digest(d: TraceDigest, scrub: Scrubber) -> None:
    if not scrub.active:
        return
    if d.header is not None:
        d.header = scrub.deep(d.header)
    d.issues = scrub.deep(d.issues)
    if d.end is not None:
        d.end = scrub.deep(d.end)
    d.dialog_texts = [scrub(t) for t in d.dialog_texts]
    d.stacks = {k: [scrub(f) for f in v] for k, v in d.stacks.items()}
    d.coverage.failed = {k: None if v is None else scrub(v) for k, v in d.coverage.failed.items()}
    d.coverage.late = {k: None if v is None else scrub(v) for k, v in d.coverage.late.items()}
    if d.error:
        d.error = scrub(d.error)


def write_reports(
    folder: RunFolder | str | Path,
    summary: RunSummary,
    traces: Mapping[str, Path] | None = None,
    *,
    created_at: str | None = None,
    lang: str | None = None,
    pdf: bool = False,
    reveal_values: bool = False,
    scenario_sources: Mapping[str, ScenarioSource] | None = None,
    salt: bytes | None = None,
) -> WrittenRun:
    """Write each ``verdicts.json`` and ``scenario.yaml``, ``summary.json``, ``junit.xml``,
    ``report.html``, ``report.xlsx``, optionally ``report.pdf``, and then ``manifest.json``
    over everything in the folder.

    ``traces`` maps a scenario *name* to a trace file that is copied to
    ``scenarios/<slug>/trace.jsonl``; without it (or for scenarios it does not name) the
    trace already in the scenario's directory is used, if any. ``scenario_sources`` maps a
    scenario name to its scenario file (text, bytes or a path), stored as
    ``scenarios/<slug>/scenario.yaml``. Screenshots (``dialog.png``,
    ``first-violation.png``) are whatever the runner left in the scenario's directory.

    ``lang``: ``"zh"`` or ``"en"`` for report.html/xlsx/pdf (None: from the locale).
    ``pdf``: also print report.html to report.pdf with a headless Chromium; without one
    the run is still written and ``WrittenRun.pdf_error`` says why there is no PDF.
    ``reveal_values``: keep device serials; by default they are replaced in every report
    file by the salted hash the traces use (``salt``: the redaction salt, default the
    per-user one). ``created_at`` fixes the manifest time (tests). ``apps``: the identity
    of the binaries tested (``check``): shown in the report and kept in summary.json
    under ``apps``.
    """
    tr = get_translator(lang)
    run = folder if isinstance(folder, RunFolder) else RunFolder(folder)
    run.path.mkdir(parents=True, exist_ok=True)
    traces = traces or {}
    sources = scenario_sources or {}
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
        has_source = _store_scenario(sdir, result, sources.get(result.scenario))
        results.append(result)

        rel_dir = run.relative(sdir)
        files = [("verdicts.json", f"{rel_dir}/{VERDICTS}")]
        if has_source:
            files.append((SCENARIO_FILE, f"{rel_dir}/{SCENARIO_FILE}"))
        digest = None
        if has_trace:
            files.insert(0, ("trace.jsonl", f"{rel_dir}/{TRACE}"))
            # The runner's one pass made it, unless the trace came from elsewhere.
            digest = take_digest(trace_path, result.package) or digest_trace(
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

    scrub = Scrubber(
        [] if reveal_values else serials_of(summary, [v.digest.header for v in views if v.digest]),
        salt=salt,
    )
    final = scrub.deep(summary.model_copy(update={"scenarios": results}))
    for view, result in zip(views, final.scenarios, strict=True):
        view.result = result
        if view.digest is not None:
            _scrub_digest(view.digest, scrub)
        assert view.rel_dir is not None
        _write_if_changed(
            run.path / view.rel_dir / VERDICTS, result.model_dump_json(indent=2) + "\n"
        )

    run.summary_path.write_text(final.model_dump_json(indent=2) + "\n", encoding="utf-8")
    run.junit_path.write_bytes(render_junit(final))
    run.html_path.write_text(render_html(final, views, tr), encoding="utf-8")
    from harness.reports.xlsx import XlsxSource, write_xlsx  # openpyxl: only when writing

    write_xlsx(
        run.xlsx_path,
        final,
        [
            XlsxSource(
                result=v.result,
                trace=(run.path / v.rel_dir / TRACE) if v.digest is not None else None,
                digest=v.digest,
            )
            for v in views
            if v.rel_dir is not None
        ],
        tr,
        scrub=scrub,
    )
    pdf_path, pdf_error = (_write_pdf(run, final, views, tr) if pdf else (None, None))
    digest_hex = write_manifest(run.path, created_at=created_at)
    return WrittenRun(
        folder=run.path,
        summary=final,
        manifest_sha256=digest_hex,
        lang=tr.lang,
        xlsx=run.path / XLSX,
        pdf=pdf_path,
        pdf_error=pdf_error,
    )


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``path`` unless it already holds ``text`` (the runner wrote ``verdicts.json``
    in this very form when its scenario ended: it is written once)."""
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.write_bytes(data)


def _write_pdf(
    run: RunFolder,
    summary: RunSummary,
    views: list[ScenarioView],
    tr: Translator,
) -> tuple[Path | None, str | None]:
    """report.pdf from the print variant of the page (beside it, so relative screenshot
    links resolve; removed before the folder is sealed)."""
    if find_chromium() is None:
        return None, missing_message()
    source = run.path / PRINT_HTML
    try:
        page = render_html(summary, views, tr, print_mode=True)
        source.write_text(page, encoding="utf-8")
        return render_pdf(source, run.pdf_path), None
    except (PdfUnavailable, OSError) as exc:
        run.pdf_path.unlink(missing_ok=True)
        return None, str(exc) if isinstance(exc, HarnessError) else f"report.pdf: {exc}"
    finally:
        source.unlink(missing_ok=True)
