"""Errors of the UI layer."""

from __future__ import annotations

from harness.errors import HarnessError


class UiDumpError(HarnessError):
    """A uiautomator dump could not be read: not XML, truncated, or not a hierarchy."""
