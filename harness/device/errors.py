"""Device errors beyond :class:`harness.errors.DeviceError`."""

from __future__ import annotations

from harness.errors import DeviceError


class DeviceLost(DeviceError):
    """The device vanished: its connection dropped, it went offline, or it is gone.

    Output of the command that met this is incomplete and must not be trusted."""


class DeviceTimeout(DeviceError):
    """The device did not answer in time (it may still be there)."""


class UiBusy(DeviceTimeout):
    """``uiautomator dump`` could not read the screen *now*: it never went idle (an
    animation — "could not get idle state" — or no answer within the dump's short
    timeout), or another UiAutomation client still holds the connection. Try again at
    the next poll; it is never a reason to stop a run."""
