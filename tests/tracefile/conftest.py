from __future__ import annotations

from pathlib import Path

import pytest

from harness.tracefile import SALT_FILE_ENV


@pytest.fixture(autouse=True)
def private_salt_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real ~/.config salt from tests."""
    path = tmp_path / "config" / "salt"
    monkeypatch.setenv(SALT_FILE_ENV, str(path))
    return path
