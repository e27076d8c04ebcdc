"""Run-folder writers: summary.json, junit.xml, report.html/.xlsx/.pdf, manifest.json
(DESIGN §4.6).

Never imports frida, adbutils or the drivers: a run folder can be re-rendered and
verified on a machine with no device.
"""

from harness.reports.folder import RunFolder
from harness.reports.html_report import render_html
from harness.reports.i18n import LANGS, Translator, default_lang, resolve_lang
from harness.reports.junit import render_junit
from harness.reports.manifest import (
    ManifestProblem,
    manifest_digest,
    verify_manifest,
    write_manifest,
)
from harness.reports.pdf import PdfUnavailable, find_chromium, render_pdf
from harness.reports.writer import WrittenRun, write_reports

__all__ = [
    "LANGS",
    "ManifestProblem",
    "PdfUnavailable",
    "Translator",
    "default_lang",
    "find_chromium",
    "render_pdf",
    "resolve_lang",
    "RunFolder",
    "WrittenRun",
    "manifest_digest",
    "render_html",
    "render_junit",
    "verify_manifest",
    "write_manifest",
    "write_reports",
]
