"""DESIGN §3: the catalog package imports nothing of the project but model and errors."""

from __future__ import annotations

import ast
from pathlib import Path

import harness.catalog

ALLOWED = ("harness.model", "harness.errors", "harness.catalog")


def test_catalog_imports_only_model_and_errors() -> None:
    package = Path(harness.catalog.__file__).parent
    offenders = []
    for source in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in {"harness", "frida", "adbutils"} and not name.startswith(
                    ALLOWED
                ):
                    offenders.append(f"{source.name}: {name}")
    assert offenders == []
