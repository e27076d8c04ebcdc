"""``report.pdf`` through a headless Chromium, when one is installed.

No Python PDF stack renders CJK text, SVG and CSS as a browser does, and a reviewer's PDF
should look like the page they saw; so the PDF is Chromium's own ``--print-to-pdf`` of
the page, rendered from a print variant with every ``<details>`` open (all evidence and
stacks visible). Chromium runs with a throw-away profile, no network services, no
sandbox (it usually runs as root in CI containers) and its arguments as a list — never
through a shell. Nothing is installed or downloaded: without a browser,
:class:`PdfUnavailable` says which names were looked for and how to get one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from harness.errors import HarnessError

#: Set to a browser binary to use that one.
CHROMIUM_ENV = "CONSENT_HARNESS_CHROMIUM"
CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
)
#: Generous: a cold Chromium start on a loaded 2-core machine takes seconds.
TIMEOUT_S = 180.0


class PdfUnavailable(HarnessError):
    """No headless Chromium, or it failed to print the page."""


def find_chromium() -> str | None:
    """``$CONSENT_HARNESS_CHROMIUM``, else the first of :data:`CANDIDATES` on ``PATH``."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override if Path(override).is_file() else shutil.which(override)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_message() -> str:
    return (
        "no headless Chromium found (looked for $"
        + CHROMIUM_ENV
        + ", "
        + ", ".join(CANDIDATES)
        + " on PATH): report.pdf not written; install one (e.g. `apt-get install chromium`) "
        "or print report.html from a browser (its print stylesheet expands all evidence)"
    )


def run_chromium(
    args: list[str], *, timeout: float = TIMEOUT_S, binary: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with :data:`FLAGS`, a fresh profile and ``args``."""
    exe = binary or find_chromium()
    if exe is None:
        raise PdfUnavailable(missing_message())
    with tempfile.TemporaryDirectory(prefix="consent-harness-chromium-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            start_new_session=True,  # so a timeout can end its helper processes too
            cwd=profile,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfUnavailable(f"{exe} did not finish within {timeout:.0f} s") from exc
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def render_pdf(html: Path, pdf: Path, *, timeout: float = TIMEOUT_S) -> Path:
    """Print ``html`` (a file) to ``pdf`` with headless Chromium; returns ``pdf``."""
    pdf.unlink(missing_ok=True)
    done = run_chromium(
        [
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ],
        timeout=timeout,
    )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise PdfUnavailable(
            f"Chromium did not write {pdf.name} (exit {done.returncode})"
            + (f": {' | '.join(tail)}" if tail else "")
        )
    return pdf
