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


class DebugWaitRefused(DeviceError):
    """``am start -D`` cannot pause this app: it is not debuggable and the build is not
    (``ro.debuggable=0``). Android does not refuse the start — it logs "Ignore debugging
    for non-debuggable app" and runs the app at once — so the device raises this before
    starting it: a launch that waited for nothing would hook the app after it ran."""

    def __init__(self, message: str, package: str) -> None:
        super().__init__(message)
        self.package = package
