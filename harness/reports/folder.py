"""The layout of a run folder (DESIGN §4.6).

::

    DIR/summary.json                       RunSummary
    DIR/junit.xml                          one testcase per scenario
    DIR/report.html                        self-contained page (zh or en)
    DIR/report.xlsx                        calls, verdicts, SDK × phase × category
    DIR/report.pdf                         the page printed by headless Chromium (--pdf)
    DIR/scenarios/<slug>/trace.jsonl       the scenario's trace
    DIR/scenarios/<slug>/verdicts.json     its ScenarioResult, rule results included
    DIR/scenarios/<slug>/scenario.yaml     the scenario file as run
    DIR/scenarios/<slug>/dialog.png        screenshots, where the device gives them
    DIR/scenarios/<slug>/first-violation.png
    DIR/manifest.json                      SHA-256 + size of every other file (written last)
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import HarnessError
from harness.reports._text import slugify

SUMMARY = "summary.json"
JUNIT = "junit.xml"
HTML = "report.html"
XLSX = "report.xlsx"
PDF = "report.pdf"
#: The page with every <details> open, printed to report.pdf and then removed.
PRINT_HTML = ".report-print.html"
SCENARIO_FILE = "scenario.yaml"
#: Larger scenario sources are not copied (the scenario loader refuses them anyway).
MAX_SCENARIO_BYTES = 4 << 20
MANIFEST = "manifest.json"
SCENARIOS = "scenarios"
TRACE = "trace.jsonl"
VERDICTS = "verdicts.json"
DIALOG_PNG = "dialog.png"
VIOLATION_PNG = "first-violation.png"


class RunFolder:
    """One run's output folder; hands out one safe, unique directory per scenario.

    ``scenario_dir(name, file=...)`` is idempotent for the same ``(name, file)`` and gives
    a different directory (``slug``, ``slug-2``, …) to a different scenario whose name
    slugs the same. Slugs are ``[a-z0-9-]`` only, so a hostile scenario name
    (``../../etc``, ``/abs``, ``CON``, ``<script>``) cannot leave ``scenarios/``; an
    existing symlink in the way is skipped, never followed.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._dirs: dict[tuple[str, str | None], str] = {}
        self._taken: set[str] = set()

    @property
    def scenarios_root(self) -> Path:
        return self.path / SCENARIOS

    @property
    def summary_path(self) -> Path:
        return self.path / SUMMARY

    @property
    def junit_path(self) -> Path:
        return self.path / JUNIT

    @property
    def html_path(self) -> Path:
        return self.path / HTML

    @property
    def xlsx_path(self) -> Path:
        return self.path / XLSX

    @property
    def pdf_path(self) -> Path:
        return self.path / PDF

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    def scenario_dir(self, scenario_name: str, *, file: str | None = None) -> Path:
        """The (created) directory of one scenario, ``DIR/scenarios/<slug>``."""
        key = (scenario_name, file)
        slug = self._dirs.get(key)
        if slug is None:
            slug = self._allocate(slugify(scenario_name))
            self._dirs[key] = slug
        target = self.scenarios_root / slug
        target.mkdir(parents=True, exist_ok=True)
        return target

    def save_scenario(
        self, scenario_name: str, source: str | bytes | Path, *, file: str | None = None
    ) -> Path:
        """Store the scenario file (its text, or a copy of the file at ``source``) as
        ``scenarios/<slug>/scenario.yaml``; call it when the scenario starts, while a
        temporary file still exists. Returns the stored path."""
        if isinstance(source, Path):
            data = source.read_bytes()
        elif isinstance(source, str):
            data = source.encode("utf-8", "surrogatepass")
        else:
            data = bytes(source)
        if len(data) > MAX_SCENARIO_BYTES:
            raise HarnessError(f"scenario source of {scenario_name!r} is over 4 MiB: not stored")
        target = self.scenario_dir(scenario_name, file=file) / SCENARIO_FILE
        if target.is_symlink():
            target.unlink()
        target.write_bytes(data)
        return target

    def relative(self, path: Path) -> str:
        """``path`` relative to the run folder, with ``/`` separators."""
        return path.relative_to(self.path).as_posix()

    def _allocate(self, base: str) -> str:
        root = self.scenarios_root
        for n in range(1, 10_000):
            slug = base if n == 1 else f"{base}-{n}"
            if slug in self._taken:
                continue
            candidate = root / slug
            if candidate.is_symlink() or (candidate.exists() and not candidate.is_dir()):
                continue
            self._taken.add(slug)
            return slug
        raise HarnessError(f"{root}: no free scenario directory for {base!r}")
