"""Bundled sim apps: one YAML spec per app (see harness/sim/appspec.py,
harness/sim/appbuild.py and docs/internals.md).

``bundled_packages()`` builds (once, cached by content) the sim package of every bundled spec
and returns their paths, ready for ``adb install`` / ``pm install`` on the simulated device.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from harness.sim.appbuild import build_package as _build
from harness.sim.appbuild import load_spec
from harness.sim.runtime import cache_root

APPS_DIR = Path(__file__).resolve().parent


def spec_paths() -> list[Path]:
    """Every bundled spec, sorted by file name."""
    return sorted(APPS_DIR.glob("*.yaml"))


def build_package(spec_path: Path, out_dir: Path) -> Path:
    """Builds ``<out_dir>/<package>.apk`` from one spec; returns its path."""
    return _build(Path(spec_path), Path(out_dir))


def _key() -> str:
    h = hashlib.sha256()
    builder = [APPS_DIR.parent / "appbuild.py", APPS_DIR.parent / "appspec.py"]
    for p in [*spec_paths(), *builder, *sorted((APPS_DIR / "templates").glob("*.java"))]:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:24]


def bundled_packages() -> list[Path]:
    """Sim packages of all bundled apps (built once per content, in the user cache)."""
    out = cache_root() / "sim-packages" / _key()
    paths = []
    for spec in spec_paths():
        pkg = load_spec(spec).package
        dest = out / f"{pkg}.apk"
        paths.append(dest if dest.is_file() else build_package(spec, out))
    return paths


def spec_for(package: str) -> Path:
    """The spec file of a bundled app by package name."""
    for spec in spec_paths():
        if load_spec(spec).package == package:
            return spec
    raise KeyError(package)
