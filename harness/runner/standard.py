"""The standard scenarios a reviewer runs on any app: observe, agree, refuse.

They are written as scenario YAML and parsed by the same loader as user files, so
they behave exactly like a suite a QA team would write by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.errors import InputError
from harness.scenario import Scenario, load_scenarios
from harness.scenario.model import PACKAGE_RE

_TEMPLATE = """\
name: {n_observe}
{target}
tags: [standard, observe]
steps:
  - observe: {observe}
---
name: {n_agree}
{target}
tags: [standard, agree]
steps:
  - wait_for_consent: {{timeout: {wait}}}
  - observe: 3
  - agree
  - observe: {observe}
---
name: {n_refuse}
{target}
tags: [standard, refuse]
steps:
  - wait_for_consent: {{timeout: {wait}}}
  - observe: 3
  - refuse
  - observe: {observe}
"""


def standard_scenarios(
    target: str, workdir: Path, *, observe: float = 8.0, wait: float = 15.0
) -> list[Scenario]:
    """Observe / agree / refuse for a package name or an ``.apk`` path."""
    path = Path(target)
    if target.endswith(".apk") or path.is_file():
        if not path.is_file():
            raise InputError("no such APK", path=target)
        line = f"apk: {json.dumps(str(path.resolve()))}"
        label = path.name
    elif PACKAGE_RE.match(target):
        line = f"app: {target}"
        label = target
    else:
        raise InputError(
            f"{target!r} is neither an Android package name (com.example.app) nor an .apk file"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    file = workdir / "standard.yaml"
    file.write_text(
        _TEMPLATE.format(
            n_observe=json.dumps(f"{label} — observe without touching"),
            n_agree=json.dumps(f"{label} — agree"),
            n_refuse=json.dumps(f"{label} — refuse"),
            target=line, observe=observe, wait=wait,
        ),
        "utf-8",
    )
    return load_scenarios(file)
