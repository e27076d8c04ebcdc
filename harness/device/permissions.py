"""Runtime permissions: grant and revoke each one separately, recording refusals.

``pm grant`` refuses some permissions outright — hard-restricted ones (SMS, call log)
unless the installer whitelisted them, permissions fixed by policy, ones the app did
not request. One refusal must not leave the rest ungranted, and the scenario's report
must be able to say which permissions the app really had.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from harness.device.core import DeviceCore
from harness.device.names import check_package, check_permission
from harness.device.parse import requested_permissions, runtime_permissions

#: Runtime ("dangerous") permissions of the groups the catalog covers, for devices
#: whose ``dumpsys package`` lists no ``runtime permissions:`` section.
DANGEROUS = frozenset(
    "android.permission." + p
    for p in (
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION ACCESS_BACKGROUND_LOCATION READ_CONTACTS "
        "WRITE_CONTACTS GET_ACCOUNTS READ_PHONE_STATE READ_PHONE_NUMBERS CALL_PHONE "
        "READ_CALL_LOG WRITE_CALL_LOG SEND_SMS RECEIVE_SMS READ_SMS READ_CALENDAR "
        "WRITE_CALENDAR CAMERA RECORD_AUDIO READ_EXTERNAL_STORAGE WRITE_EXTERNAL_STORAGE "
        "READ_MEDIA_IMAGES READ_MEDIA_VIDEO READ_MEDIA_AUDIO BODY_SENSORS ACTIVITY_RECOGNITION "
        "POST_NOTIFICATIONS NEARBY_WIFI_DEVICES BLUETOOTH_SCAN BLUETOOTH_CONNECT"
    ).split()
)


@dataclass(frozen=True)
class PermissionChanges:
    """What :meth:`PermissionsMixin.grant_all` / ``revoke_all`` did."""

    action: Literal["grant", "revoke"]
    #: Permissions the device accepted, in request order.
    changed: tuple[str, ...] = ()
    #: Permission → the device's own reason, for each one it refused.
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.refused

    def as_detail(self) -> dict[str, object]:
        """For a trace marker: ``{"action", "changed", "refused"}``."""
        return {"action": self.action, "changed": list(self.changed), "refused": dict(self.refused)}


def refusal_reason(output: str) -> str:
    """The telling line of a ``pm grant`` failure (``java.lang.SecurityException: …``)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if "Exception:" in line or line.startswith(("Error", "Failure")):
            return line[:300]
    return (lines[-1] if lines else "refused (no message)")[:300]


class PermissionsMixin(DeviceCore):
    """Grant/revoke one permission, or all of a package's runtime permissions."""

    def grant(self, package: str, permission: str) -> None:
        self.shell_ok(["pm", "grant", check_package(package), check_permission(permission)])

    def revoke(self, package: str, permission: str) -> None:
        self.shell_ok(["pm", "revoke", check_package(package), check_permission(permission)])

    def runtime_permissions(self, package: str) -> list[str]:
        """The runtime permissions the package requests."""
        dump = self.shell_ok(["dumpsys", "package", check_package(package)]).stdout
        listed = runtime_permissions(dump)
        extra = [p for p in requested_permissions(dump) if p in DANGEROUS and p not in listed]
        return listed + extra

    def change_each(
        self, package: str, permissions: Iterable[str], action: Literal["grant", "revoke"]
    ) -> PermissionChanges:
        """``pm grant|revoke`` each permission on its own; a refusal is recorded and the
        next one is tried. A lost device still raises (the rest would be guesses)."""
        check_package(package)
        changed: list[str] = []
        refused: dict[str, str] = {}
        for perm in permissions:
            result = self.shell(["pm", action, package, check_permission(perm)])
            if result.ok:
                changed.append(perm)
            else:
                refused[perm] = refusal_reason(result.output)
        return PermissionChanges(action, tuple(changed), refused)

    def grant_all(self, package: str) -> PermissionChanges:
        """Grant every runtime permission the package requests, each separately."""
        return self.change_each(package, self.runtime_permissions(package), "grant")

    def revoke_all(self, package: str) -> PermissionChanges:
        """Revoke every runtime permission the package requests, each separately."""
        return self.change_each(package, self.runtime_permissions(package), "revoke")
