"""What the shipped catalog must hook: the APIs named in DESIGN §4.1 with real signatures."""

from __future__ import annotations

import pytest

from harness.catalog import Catalog, CatalogEntry, load_catalog
from harness.model.enums import Category


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _hooks(catalog: Catalog, cls: str, method: str) -> list[CatalogEntry]:
    return [e for e in catalog.entries if e.class_name == cls and e.method == method]


def _overloads(catalog: Catalog, cls: str, method: str) -> set[tuple[str, ...]]:
    return {ov for e in _hooks(catalog, cls, method) for ov in (e.overloads or ())}


@pytest.mark.parametrize(
    ("cls", "method", "category"),
    [
        ("android.telephony.TelephonyManager", "getDeviceId", "device_id"),
        ("android.telephony.TelephonyManager", "getImei", "device_id"),
        ("android.telephony.TelephonyManager", "getMeid", "device_id"),
        ("android.telephony.TelephonyManager", "getSubscriberId", "device_id"),
        ("android.telephony.TelephonyManager", "getSimSerialNumber", "device_id"),
        ("android.telephony.TelephonyManager", "getLine1Number", "phone_number"),
        ("android.os.Build", "getSerial", "device_id"),
        ("android.net.wifi.WifiInfo", "getMacAddress", "network_id"),
        ("java.net.NetworkInterface", "getHardwareAddress", "network_id"),
        ("android.bluetooth.BluetoothAdapter", "getAddress", "network_id"),
        (
            "com.google.android.gms.ads.identifier.AdvertisingIdClient",
            "getAdvertisingIdInfo",
            "device_id",
        ),
        ("com.bun.miitmdid.core.MdidSdkHelper", "InitSdk", "device_id"),
        ("android.location.LocationManager", "getLastKnownLocation", "location"),
        ("android.location.LocationManager", "requestSingleUpdate", "location"),
        ("android.location.LocationManager", "getCurrentLocation", "location"),
        ("android.telephony.TelephonyManager", "getCellLocation", "location"),
        ("android.telephony.TelephonyManager", "getAllCellInfo", "location"),
        ("android.telephony.TelephonyManager", "getNeighboringCellInfo", "location"),
        ("android.net.wifi.WifiManager", "getScanResults", "location"),
        ("android.net.wifi.WifiManager", "startScan", "location"),
        ("android.net.wifi.WifiInfo", "getBSSID", "location"),
        ("android.net.wifi.WifiInfo", "getSSID", "location"),
        ("android.telephony.SmsManager", "sendTextMessage", "sms"),
        ("android.hardware.Camera", "open", "camera"),
        ("android.hardware.camera2.CameraManager", "openCamera", "camera"),
        ("android.media.AudioRecord", "$init", "microphone"),
        ("android.media.AudioRecord", "startRecording", "microphone"),
        ("android.media.MediaRecorder", "setAudioSource", "microphone"),
        ("android.media.MediaRecorder", "start", "microphone"),
        ("android.app.ApplicationPackageManager", "getInstalledPackages", "installed_apps"),
        ("android.app.ApplicationPackageManager", "getInstalledApplications", "installed_apps"),
        ("android.app.ApplicationPackageManager", "queryIntentActivities", "installed_apps"),
        ("android.app.ActivityManager", "getRunningAppProcesses", "running_apps"),
        ("android.app.ActivityManager", "getRunningTasks", "running_apps"),
        ("android.app.ActivityManager", "getRunningServices", "running_apps"),
        ("android.content.ClipboardManager", "getPrimaryClip", "clipboard"),
        ("android.content.ClipboardManager", "getPrimaryClipDescription", "clipboard"),
        ("android.content.ClipboardManager", "hasPrimaryClip", "clipboard"),
        ("android.content.ClipboardManager", "getText", "clipboard"),
        ("android.accounts.AccountManager", "getAccounts", "accounts"),
        ("android.accounts.AccountManager", "getAccountsByType", "accounts"),
        ("android.accounts.AccountManager", "getAccountsByTypeAndFeatures", "accounts"),
        ("android.app.Activity", "requestPermissions", "permission_request"),
        ("androidx.core.app.ActivityCompat", "requestPermissions", "permission_request"),
        ("android.support.v4.app.ActivityCompat", "requestPermissions", "permission_request"),
        ("androidx.fragment.app.Fragment", "requestPermissions", "permission_request"),
        ("android.app.Fragment", "requestPermissions", "permission_request"),
        ("android.content.pm.PackageInstaller", "createSession", "package_install"),
        ("android.content.pm.PackageInstaller$Session", "commit", "package_install"),
        ("android.app.DownloadManager$Request", "$init", "package_install"),
    ],
)
def test_design_apis_are_hooked(catalog: Catalog, cls: str, method: str, category: str) -> None:
    hooks = _hooks(catalog, cls, method)
    assert hooks, f"{cls}.{method} is not in the catalog"
    assert {e.category for e in hooks} == {Category(category)}


def test_request_location_updates_has_every_public_overload(catalog: Catalog) -> None:
    s, ll, pi, crit = (
        "java.lang.String",
        "android.location.LocationListener",
        "android.app.PendingIntent",
        "android.location.Criteria",
    )
    ex, req = "java.util.concurrent.Executor", "android.location.LocationRequest"
    assert _overloads(catalog, "android.location.LocationManager", "requestLocationUpdates") == {
        (s, "long", "float", ll),
        (s, "long", "float", ll, "android.os.Looper"),
        ("long", "float", crit, ll, "android.os.Looper"),
        (s, "long", "float", pi),
        ("long", "float", crit, pi),
        (s, "long", "float", ex, ll),
        ("long", "float", crit, ex, ll),
        (s, req, ex, ll),
        (s, req, pi),
    }


def test_content_resolver_query_overloads_and_authorities(catalog: Catalog) -> None:
    queries = _hooks(catalog, "android.content.ContentResolver", "query")
    uri, sa, s = "android.net.Uri", "java.lang.String[]", "java.lang.String"
    assert {ov for e in queries for ov in e.overloads or ()} == {
        (uri, sa, s, sa, s),
        (uri, sa, s, sa, s, "android.os.CancellationSignal"),
        (uri, sa, "android.os.Bundle", "android.os.CancellationSignal"),
    }
    assert all(e.match is not None and e.match.arg == 0 for e in queries)

    def category_of(uri_text: str) -> set[Category]:
        # First matching entry per overload, as the agent decides.
        return {
            next(
                e
                for e in queries
                if ov in (e.overloads or ()) and e.match and e.match.matches(uri_text)
            ).category
            for ov in {ov for e in queries for ov in e.overloads or ()}
        }

    assert category_of("content://com.android.contacts/data/phones") == {Category.CONTACTS}
    assert category_of("content://sms/inbox") == {Category.SMS}
    assert category_of("content://mms-sms/conversations") == {Category.SMS}
    assert category_of("content://call_log/calls") == {Category.CALL_LOG}
    assert category_of("content://com.android.calendar/events") == {Category.CALENDAR}
    assert category_of("content://media/external/images/media") == {Category.MEDIA}
    other = "content://com.example.news.provider/items"
    assert not any(e.match and e.match.matches(other) for e in queries)


def test_settings_android_id_matches_only_that_key(catalog: Catalog) -> None:
    entry = catalog.get("settings.secure.android_id")
    assert entry is not None and entry.static and entry.match is not None
    assert entry.match.arg == 1
    assert entry.match.matches("android_id")
    assert not entry.match.matches("adb_enabled")


def test_install_matchers(catalog: Catalog) -> None:
    apk = "application/vnd.android.package-archive"
    data_type = catalog.get("install.intent.data_and_type")
    assert data_type is not None and data_type.match is not None
    assert data_type.match.arg == 1 and data_type.match.matches(apk)
    assert not data_type.match.matches("image/png")
    action = catalog.get("install.intent.new")
    assert action is not None and action.match is not None
    assert action.match.matches("android.intent.action.INSTALL_PACKAGE")
    assert not action.match.matches("android.intent.action.VIEW")
    download = catalog.get("install.download.request")
    assert download is not None and download.match is not None
    assert download.match.matches("https://cdn.example.com/game.apk")
    assert not download.match.matches("https://cdn.example.com/cover.png")


@pytest.mark.parametrize(
    ("entry_id", "static", "returns"),
    [
        ("build.serial", True, "java.lang.String"),
        ("settings.secure.android_id", True, "java.lang.String"),
        ("camera.open", True, "android.hardware.Camera"),
        ("permission.activity_compat", True, "void"),
        ("gms.ad_id", True, "com.google.android.gms.ads.identifier.AdvertisingIdClient$Info"),
        ("sms_message.from_pdu", True, "android.telephony.SmsMessage"),
        ("telephony.imei", False, "java.lang.String"),
        ("accounts.all", False, "android.accounts.Account[]"),
        ("net_iface.hardware_address", False, "byte[]"),
        ("audio_record.new", False, "void"),
        ("ble.start_scan.pending_intent", False, "int"),
    ],
)
def test_static_flags_and_return_types(
    catalog: Catalog, entry_id: str, static: bool, returns: str
) -> None:
    entry = catalog.get(entry_id)
    assert entry is not None
    assert (entry.static, entry.returns) == (static, returns)


def test_no_hooks_on_abstract_package_manager(catalog: Catalog) -> None:
    # Hooks on abstract methods are accepted by Frida and never fire.
    assert not [
        e.id for e in catalog.entries if e.class_name == "android.content.pm.PackageManager"
    ]
    concrete = [
        e for e in catalog.entries if e.class_name == "android.app.ApplicationPackageManager"
    ]
    assert concrete and all(e.note and "abstract" in e.note for e in concrete)


def test_guarded_categories_name_their_permission(catalog: Catalog) -> None:
    guarded = {
        Category.LOCATION,
        Category.CONTACTS,
        Category.SMS,
        Category.CALL_LOG,
        Category.CALENDAR,
        Category.CAMERA,
        Category.MICROPHONE,
        Category.ACCOUNTS,
    }
    # A getter on an object already obtained under the permission (Location.getLatitude) or a
    # call Android does not guard (divideMessage) has none; its note must say why.
    missing = [
        e.id
        for e in catalog.entries
        if e.category in guarded and e.permission is None and not e.note
    ]
    assert missing == []


def test_observed_entries_are_flagged_and_listed(catalog: Catalog) -> None:
    observed = catalog.observed_ids()
    for entry_id in (
        "location.remove_updates",
        "location.providers",
        "location.provider_enabled",
        "subscription.active_info_count",
        "sms.divide_message",
    ):
        assert entry_id in observed
        assert catalog.is_observed(entry_id)
    # Collection stays collection.
    for entry_id in ("location.last_known", "location.updates", "location_fix.latitude"):
        assert not catalog.is_observed(entry_id)
    assert not catalog.is_observed("no.such.entry")
