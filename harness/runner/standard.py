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
{target}{extra}
tags: [standard, observe]
steps:
  - observe: {observe}
---
name: {n_agree}
{target}{extra}
tags: [standard, agree]
steps:
  - wait_for_consent: {{timeout: {wait}}}
  - read_policy
  - observe: 3
  - agree
  - observe: {observe}
---
name: {n_refuse}
{target}{extra}
tags: [standard, refuse]
steps:
  - wait_for_consent: {{timeout: {wait}}}
  - observe: 3
  - refuse
  - observe: {observe}
"""


def standard_scenarios(
    target: str,
    workdir: Path,
    *,
    observe: float = 8.0,
    wait: float = 15.0,
    scope: list[str] | None = None,
    matchers: dict[str, str] | None = None,
    timeout: float | None = None,
) -> list[Scenario]:
    """Observe / agree / refuse for a package name or an ``.apk`` path.

    ``scope``, ``matchers`` and ``timeout`` become the scenarios' header keys of the same
    name (``check --scope/--matchers/--timeout``); ``timeout`` (consent and UI waits, not
    the app start) also bounds the wait for the consent dialog. Values go through JSON,
    so the YAML loader validates them as it validates a hand-written file."""
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
    extra = ""
    if scope is not None:
        extra += f"\nscope: {json.dumps(scope)}"
    if matchers:
        extra += f"\nmatchers: {json.dumps(matchers, ensure_ascii=False)}"
    if timeout is not None:
        extra += f"\ntimeout: {json.dumps({'consent': timeout, 'ui': timeout})}"
        wait = timeout
    workdir.mkdir(parents=True, exist_ok=True)
    file = workdir / "standard.yaml"
    file.write_text(
        _TEMPLATE.format(
            n_observe=json.dumps(f"{label} — observe without touching"),
            n_agree=json.dumps(f"{label} — agree"),
            n_refuse=json.dumps(f"{label} — refuse"),
            target=line, extra=extra, observe=observe, wait=wait,
        ),
        "utf-8",
    )
    return load_scenarios(file)
