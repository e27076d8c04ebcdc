"""What identifies the app under test, as rows a report shows (HTML and xlsx alike)."""

from __future__ import annotations

from collections.abc import Sequence

from harness.model import AppInfo
from harness.reports.i18n import Translator


def identity_rows(tr: Translator, app: AppInfo, seen: Sequence[str]) -> list[tuple[str, str]]:
    """(label, value) rows: package, label, version, the binary's hash, signers and
    schemes, requested permissions, and the SDKs its code names beside ``seen`` (the
    SDKs seen calling at run time). Rows the identification did not produce are left out
    (a device-installed package has no APK hash)."""
    rows: list[tuple[str, str]] = [(tr.t("Package"), app.package)]
    if app.label:
        rows.append((tr.t("Label"), app.label))
    version = " ".join(x for x in (app.version_name, app.version_code and
                                  f"({app.version_code})") if x)
    if version:
        rows.append((tr.t("Version"), version))
    if app.apk_sha256:
        rows.append((tr.t("APK SHA-256"), app.apk_sha256))
    if app.signing_certs_sha256 is not None:
        rows.append((tr.t("Signing certificate SHA-256"),
                     ", ".join(app.signing_certs_sha256) or tr.t("unsigned")))
    if app.signature_schemes is not None:
        rows.append((tr.t("Signature schemes"), ", ".join(app.signature_schemes)
                     or tr.t("none")))
    if app.permissions is not None:
        rows.append((tr.t("Requested permissions"), ", ".join(app.permissions)
                     or tr.t("none")))
    if app.sdks_in_apk is not None:
        rows.append((tr.t("SDKs in the APK"), ", ".join(app.sdks_in_apk) or tr.t("none")))
        rows.append((tr.t("SDKs seen at run time"), ", ".join(seen) or tr.t("none")))
    return rows
