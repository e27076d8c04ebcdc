"""The previous figure beside the new one: benchmarks print both.

``benchmarks/figures.json`` (committed) holds the last medians measured on this project's
machine kind, one per figure name. :func:`compare` formats a new median with the previous
one; :func:`save` writes the new medians back (``tox -e bench`` runs the benchmarks with
``--save`` only when asked: ``tox -e bench -- --save``), so a commit carries the figures
its code gave.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIGURES = Path(__file__).with_name("figures.json")
#: Set by run_all.py --save: every benchmark it starts writes its figures back.
SAVE_ENV = "CONSENT_HARNESS_BENCH_SAVE"

_new: dict[str, float] = {}


def _previous() -> dict[str, float]:
    try:
        data = json.loads(FIGURES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.get("figures", {}).items()}


def compare(name: str, value: float, unit: str) -> str:
    """``value unit (previous P unit, ±N %)``; remembers ``value`` for :func:`save`."""
    _new[name] = value
    before = _previous().get(name)
    text = f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:,.1f} {unit}"
    if before is None or before == 0:
        return f"{text} (no previous figure)"
    change = (value - before) / before * 100
    shown = f"{before:,.0f}" if abs(before) >= 100 else f"{before:,.1f}"
    return f"{text} (previous {shown}, {change:+.0f} %)"


def save() -> None:
    """Write the figures of this run into figures.json when asked (``--save``)."""
    if not _new or os.environ.get(SAVE_ENV) != "1":
        return
    figures = _previous()
    figures.update(_new)
    FIGURES.write_text(
        json.dumps(
            {"_note": "medians of the last `tox -e bench -- --save` (benchmarks/_figures.py)",
             "figures": dict(sorted(figures.items()))},
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
