# The docs list keeps one Java signature per line, as the API reference writes it.
# ruff: noqa: E501
"""Generate the simulated device's Android API surface: harness/sim/framework/surface.json.

    python tools/gen_android_surface.py            # rewrite the file
    python tools/gen_android_surface.py --check    # exit 1 if the committed file is stale

The surface is what the simulator's Java stubs are generated from (DESIGN §5). It comes
from sources outside this project, never from the harness's catalog:

* androguard's API→permission mappings (``androguard/core/api_specific_resources/
  api_permission_mappings/permissions_<level>.json``, every level it ships): every public
  ``android.*`` method guarded by a permission of the location, contacts, phone, SMS,
  call-log, calendar, camera, microphone, body-sensor and accounts groups;
* androguard's AOSP permission lists (``aosp_permissions/permissions_<level>.json``): which
  of those permissions are *dangerous* (runtime) and which group each belongs to;
* a hand-written list (``DOCS`` below, from Android's public API reference,
  https://developer.android.com/reference/packages) of the unguarded identifier and
  inventory APIs, the consent-relevant calls (permission requests, package installs), and
  API-26+ signatures the mappings (API 16–25) predate;
* a hand-written table (``CLASSES`` below, from the same reference: each class page's
  declaration line) of the kind (class, abstract class, interface), parent class,
  interfaces, type parameters and public constructors of the classes the surface names,
  so that a stub the simulator generates for a class is of the real type
  (``CdmaCellLocation extends CellLocation``; ``Geocoder.GeocodeListener`` an interface).

The output records its provenance (package versions, file names and their SHA-256).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "harness" / "sim" / "framework" / "surface.json"
REF = "https://developer.android.com/reference/"

P = "android.permission."
#: The permission groups the surface covers, by AOSP group name (aosp_permissions files).
GROUPS = {
    "android.permission-group.LOCATION": "location",
    "android.permission-group.CONTACTS": "contacts",
    "android.permission-group.PHONE": "phone",
    "android.permission-group.SMS": "sms",
    "android.permission-group.CALL_LOG": "call_log",
    "android.permission-group.CALENDAR": "calendar",
    "android.permission-group.CAMERA": "camera",
    "android.permission-group.MICROPHONE": "microphone",
    "android.permission-group.SENSORS": "body_sensors",
}
#: GET_ACCOUNTS sits in CONTACTS in AOSP; the surface names it as its own "accounts" group.
GROUP_OVERRIDE = {P + "GET_ACCOUNTS": "accounts"}
#: Android 6.0: before it, "dangerous" was an install-time label (INTERNET was one).
RUNTIME_PERMISSIONS_SINCE = 23
#: Classes in the mappings that apps cannot call (system-server side, hidden).
HIDDEN_CLASS = re.compile(r"(Service|Stub|Proxy|Impl|Controller)(\$|$)|\.internal\.|\.server\.")

_PRIM = {"Z": "boolean", "B": "byte", "C": "char", "S": "short", "I": "int", "J": "long",
         "F": "float", "D": "double", "V": "void"}
_ABBR = {"String": "java.lang.String", "Object": "java.lang.Object", "List": "java.util.List",
         "Set": "java.util.Set", "Map": "java.util.Map", "ArrayList": "java.util.ArrayList",
         "CharSequence": "java.lang.CharSequence", "Executor": "java.util.concurrent.Executor",
         "Consumer": "java.util.function.Consumer", "InputStream": "java.io.InputStream",
         "File": "java.io.File", "Process": "java.lang.Process",
         "Context": "android.content.Context", "Uri": "android.net.Uri",
         "Bundle": "android.os.Bundle", "Handler": "android.os.Handler",
         "Looper": "android.os.Looper", "Intent": "android.content.Intent",
         "PendingIntent": "android.app.PendingIntent", "Cursor": "android.database.Cursor",
         "ContentResolver": "android.content.ContentResolver",
         "CancellationSignal": "android.os.CancellationSignal",
         "ContentValues": "android.content.ContentValues", "Activity": "android.app.Activity"}


def _desc(d: str) -> str:
    """One Dalvik type descriptor -> Java type (Frida's spelling: '$' for nested classes)."""
    dims = len(d) - len(d.lstrip("["))
    base = d[dims:]
    name = _PRIM[base] if base in _PRIM else base[1:-1].replace("/", ".")
    return name + "[]" * dims


def parse_key(key: str) -> tuple[str, str, tuple[str, ...], str]:
    """'Landroid/x/Y;-m-(Ljava/lang/String; I)Z' -> ('android.x.Y', 'm', (..), 'boolean')."""
    cls, method, sig = key.split("-", 2)
    params, ret = sig[1:].split(")", 1)
    return (_desc(cls), "$init" if method == "<init>" else method,
            tuple(_desc(p) for p in params.split() if p), _desc(ret))


@dataclass
class Method:
    cls: str
    method: str
    params: tuple[str, ...]
    returns: str
    static: bool = False
    abstract: bool = False
    permissions: set[str] = field(default_factory=set)
    levels: set[int] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    value: str | None = None
    provided_by: str = "framework"
    kind: str = "data"
    doc: str | None = None


# --------------------------------------------------------------------------- the docs list

def _t(t: str) -> str:
    dims = t.count("[]")
    base = t.replace("[]", "").replace("...", "").strip()
    return _ABBR.get(base, base) + "[]" * dims


_SIG = re.compile(r"^\s*(static\s+)?(abstract\s+)?([\w.$\[\]]+)\s+([\w$]+)\((.*)\)\s*$")


def _sig(text: str) -> tuple[bool, bool, str, str, tuple[str, ...]]:
    m = _SIG.match(text)
    if not m:
        raise ValueError(f"bad signature {text!r}")
    params = tuple(_t(p) for p in m.group(5).split(",") if p.strip())
    return bool(m.group(1)), bool(m.group(2)), _t(m.group(3)), m.group(4), params


def _docs() -> list[Method]:
    out: list[Method] = []

    def api(cls: str, *sigs: str, guard: tuple[str, ...] = (), value: str | None = None,
            provided_by: str = "framework", kind: str = "data", page: str | None = None) -> None:
        for s in sigs:
            static, abstract, ret, name, params = _sig(s)
            out.append(Method(cls, name, params, ret, static, abstract, set(guard), set(),
                              {"docs"}, value, provided_by, kind,
                              REF + (page or cls.replace(".", "/").replace("$", "."))))

    phone, numbers = (P + "READ_PHONE_STATE",), (P + "READ_PHONE_STATE", P + "READ_PHONE_NUMBERS")
    fine = (P + "ACCESS_FINE_LOCATION", P + "ACCESS_COARSE_LOCATION")
    tm = "android.telephony.TelephonyManager"
    api(tm, "String getDeviceId()", "String getDeviceId(int)", guard=phone, value="imei")
    api(tm, "String getImei()", "String getImei(int)", guard=phone, value="imei")
    api(tm, "String getMeid()", "String getMeid(int)", guard=phone, value="meid")
    api(tm, "String getSubscriberId()", guard=phone, value="imsi")
    api(tm, "String getSimSerialNumber()", guard=phone, value="iccid")
    api(tm, "String getDeviceSoftwareVersion()", guard=phone, value="imei_sv")
    api(tm, "String getGroupIdLevel1()", guard=phone, value="sim_gid")
    api(tm, "String getNai()", guard=phone, value="nai")
    api(tm, "String getLine1Number()", guard=numbers, value="line_number")
    api(tm, "String getVoiceMailNumber()", "String getVoiceMailAlphaTag()", guard=phone,
        value="voicemail_number")
    api(tm, "int getCallState()", "android.telephony.ServiceState getServiceState()",
        guard=phone)
    api(tm, "void listen(android.telephony.PhoneStateListener, int)", guard=phone)
    api(tm, "void registerTelephonyCallback(Executor, android.telephony.TelephonyCallback)",
        guard=phone)
    api(tm, "android.telephony.CellLocation getCellLocation()", "List getAllCellInfo()",
        "List getNeighboringCellInfo()",
        "void requestCellInfoUpdate(Executor, android.telephony.TelephonyManager$CellInfoCallback)",
        guard=fine)
    # Operator / SIM data: readable without a permission (reference: TelephonyManager).
    api(tm, "String getNetworkOperator()", "String getSimOperator()", value="operator")
    api(tm, "String getNetworkOperatorName()", "String getSimOperatorName()",
        value="operator_name")
    api(tm, "String getNetworkCountryIso()", "String getSimCountryIso()", value="country_iso")
    api(tm, "int getSimState()", "int getPhoneType()", "int getNetworkType()")
    api("android.os.Build", "static String getSerial()", guard=phone, value="serial")
    api("android.os.SystemProperties", "static String get(String)",
        "static String get(String, String)", value="serial", page="android/os/Build#SERIAL")
    for sub in ("Secure", "System", "Global"):
        api(f"android.provider.Settings${sub}", "static String getString(ContentResolver, String)",
            value="android_id")
    api("android.media.MediaDrm", "byte[] getPropertyByteArray(String)", value="drm_id")
    sm = "android.telephony.SubscriptionManager"
    api(sm, "android.telephony.SubscriptionInfo getActiveSubscriptionInfo(int)",
        "android.telephony.SubscriptionInfo getActiveSubscriptionInfoForSimSlotIndex(int)",
        "List getActiveSubscriptionInfoList()", guard=phone)
    api(sm, "List getAccessibleSubscriptionInfoList()")
    api(sm, "String getPhoneNumber(int)", "String getPhoneNumber(int, int)",
        guard=(P + "READ_PHONE_NUMBERS",), value="line_number")
    api("android.telephony.SubscriptionInfo", "String getIccId()", value="iccid")
    api("android.telephony.SubscriptionInfo", "String getNumber()", value="line_number")
    tc = "android.telecom.TelecomManager"
    api(tc, "boolean isInCall()", "List getCallCapablePhoneAccounts()", guard=phone)
    api(tc, "String getLine1Number(android.telecom.PhoneAccountHandle)", guard=numbers,
        value="line_number")
    api(tc, "String getVoiceMailNumber(android.telecom.PhoneAccountHandle)", guard=phone,
        value="voicemail_number")
    api(tc, "void placeCall(Uri, Bundle)", guard=(P + "CALL_PHONE",))
    # Identifiers on objects and managers outside TelephonyManager (API level: reference).
    api("android.telephony.SubscriptionInfo", "int getMcc()", "int getMnc()")  # API 22
    api("android.telephony.UiccCardInfo", "String getIccId()", value="iccid")  # API 29
    api("android.app.admin.DevicePolicyManager",  # API 24, device and profile owners
        "String getWifiMacAddress(android.content.ComponentName)", value="wifi_mac")
    api("android.os.Build", "static String getRadioVersion()", value="baseband")
    # Cell ids, read from the CellLocation getCellLocation returns.
    api("android.telephony.gsm.GsmCellLocation", "int getCid()", "int getLac()")
    api("android.telephony.cdma.CdmaCellLocation", "int getBaseStationId()", "int getNetworkId()")

    api("android.telephony.PhoneNumberUtils", "static boolean isVoiceMailNumber(String)",
        guard=phone)
    # Network identifiers.
    wi = "android.net.wifi.WifiInfo"
    api(wi, "String getMacAddress()", value="wifi_mac")
    api(wi, "String getBSSID()", guard=fine, value="bssid")
    api(wi, "String getSSID()", guard=fine, value="ssid")
    api(wi, "int getIpAddress()")
    wm = "android.net.wifi.WifiManager"
    api(wm, "android.net.wifi.WifiInfo getConnectionInfo()", "android.net.DhcpInfo getDhcpInfo()")
    api(wm, "List getScanResults()", "List getConfiguredNetworks()", guard=fine)
    api(wm, "boolean startScan()")
    api("java.net.NetworkInterface", "byte[] getHardwareAddress()", value="wifi_mac",
        provided_by="jdk")
    ba = "android.bluetooth.BluetoothAdapter"
    api(ba, "String getAddress()", value="bt_mac")
    api(ba, "String getName()", value="device_name")
    api(ba, "Set getBondedDevices()", "boolean startDiscovery()")
    bd = "android.bluetooth.BluetoothDevice"  # what getBondedDevices and scans hand out
    api(bd, "String getAddress()")
    # BLUETOOTH_CONNECT from API 31, as for BluetoothAdapter.getName (unguarded here too).
    api(bd, "String getName()", guard=(P + "BLUETOOTH",))
    api("android.net.NetworkInfo", "String getExtraInfo()")  # the APN; the SSID before API 28

    api("android.bluetooth.le.BluetoothLeScanner", "void startScan(android.bluetooth.le.ScanCallback)",
        "void startScan(List, android.bluetooth.le.ScanSettings, android.bluetooth.le.ScanCallback)",
        "int startScan(List, android.bluetooth.le.ScanSettings, PendingIntent)", guard=fine)
    # Location.
    lm = "android.location.LocationManager"
    api(lm, "android.location.Location getLastKnownLocation(String)", guard=fine,
        value="location")
    api(lm,
        "void requestLocationUpdates(String, long, float, android.location.LocationListener)",
        "void requestLocationUpdates(String, long, float, android.location.LocationListener, Looper)",
        "void requestLocationUpdates(long, float, android.location.Criteria, android.location.LocationListener, Looper)",
        "void requestLocationUpdates(String, long, float, PendingIntent)",
        "void requestLocationUpdates(long, float, android.location.Criteria, PendingIntent)",
        "void requestLocationUpdates(String, long, float, Executor, android.location.LocationListener)",
        "void requestLocationUpdates(long, float, android.location.Criteria, Executor, android.location.LocationListener)",
        "void requestLocationUpdates(String, android.location.LocationRequest, Executor, android.location.LocationListener)",
        "void requestLocationUpdates(String, android.location.LocationRequest, PendingIntent)",
        "void requestSingleUpdate(String, android.location.LocationListener, Looper)",
        "void requestSingleUpdate(android.location.Criteria, android.location.LocationListener, Looper)",
        "void requestSingleUpdate(String, PendingIntent)",
        "void requestSingleUpdate(android.location.Criteria, PendingIntent)",
        "void getCurrentLocation(String, CancellationSignal, Executor, Consumer)",
        "void getCurrentLocation(String, android.location.LocationRequest, CancellationSignal, Executor, Consumer)",
        "void addProximityAlert(double, double, float, long, PendingIntent)",
        "boolean addGpsStatusListener(android.location.GpsStatus$Listener)",
        "android.location.GpsStatus getGpsStatus(android.location.GpsStatus)",
        "boolean addNmeaListener(android.location.GpsStatus$NmeaListener)",
        "boolean addNmeaListener(android.location.OnNmeaMessageListener)",
        "boolean addNmeaListener(android.location.OnNmeaMessageListener, Handler)",
        "boolean addNmeaListener(Executor, android.location.OnNmeaMessageListener)",
        "boolean registerGnssStatusCallback(android.location.GnssStatus$Callback)",
        "boolean registerGnssStatusCallback(android.location.GnssStatus$Callback, Handler)",
        "boolean registerGnssStatusCallback(Executor, android.location.GnssStatus$Callback)",
        "boolean registerGnssMeasurementsCallback(android.location.GnssMeasurementsEvent$Callback)",
        "boolean registerGnssMeasurementsCallback(android.location.GnssMeasurementsEvent$Callback, Handler)",
        "boolean registerGnssMeasurementsCallback(Executor, android.location.GnssMeasurementsEvent$Callback)",
        "boolean registerGnssNavigationMessageCallback(android.location.GnssNavigationMessage$Callback)",
        "boolean registerGnssNavigationMessageCallback(android.location.GnssNavigationMessage$Callback, Handler)",
        "boolean registerGnssNavigationMessageCallback(Executor, android.location.GnssNavigationMessage$Callback)",
        guard=fine)
    api(lm, "List getProviders(boolean)", "boolean isProviderEnabled(String)", kind="observed")
    api(lm, "String getGnssHardwareModelName()", "int getGnssYearOfHardware()",  # API 28
        kind="observed")
    gc = "android.location.Geocoder"  # the listener overloads: API 33
    api(gc, "List getFromLocation(double, double, int)",
        "void getFromLocation(double, double, int, android.location.Geocoder$GeocodeListener)")
    api(gc, "List getFromLocationName(String, int)",
        "List getFromLocationName(String, int, double, double, double, double)",
        "void getFromLocationName(String, int, android.location.Geocoder$GeocodeListener)",
        "void getFromLocationName(String, int, double, double, double, double, android.location.Geocoder$GeocodeListener)")

    loc = "android.location.Location"
    api(loc, "double getLatitude()", "double getLongitude()", "double getAltitude()",
        "float getAccuracy()", "long getTime()", "String getProvider()", value="location")
    # Content providers: guarded by the provider's permission (PROVIDERS below), by URI.
    cr = "android.content.ContentResolver"
    api(cr, "Cursor query(Uri, String[], String, String[], String)",
        "Cursor query(Uri, String[], String, String[], String, CancellationSignal)",
        "Cursor query(Uri, String[], Bundle, CancellationSignal)",
        "Uri insert(Uri, ContentValues)", "int update(Uri, ContentValues, String, String[])",
        "int delete(Uri, String, String[])",
        "android.content.ContentProviderResult[] applyBatch(String, ArrayList)",
        "InputStream openInputStream(Uri)",
        "android.graphics.Bitmap loadThumbnail(Uri, android.util.Size, CancellationSignal)")
    api(cr, "void registerContentObserver(Uri, boolean, android.database.ContentObserver)",
        kind="observed")
    api(cr, "static android.content.SyncInfo getCurrentSync()",  # deprecated in API 16
        "static List getCurrentSyncs()", guard=("android.permission.READ_SYNC_STATS",))  # API 11
    api("android.provider.CallLog$Calls", "static String getLastOutgoingCall(Context)",
        guard=(P + "READ_CALL_LOG",), value="line_number")
    # SMS and MMS.
    sms = (P + "SEND_SMS",)
    for cls in ("android.telephony.SmsManager", "android.telephony.gsm.SmsManager"):
        api(cls, "void sendTextMessage(String, String, String, PendingIntent, PendingIntent)",
            "void sendMultipartTextMessage(String, String, ArrayList, ArrayList, ArrayList)",
            "void sendDataMessage(String, String, short, byte[], PendingIntent, PendingIntent)",
            guard=sms)
    smm = "android.telephony.SmsManager"
    api(smm, "void sendTextMessage(String, String, String, PendingIntent, PendingIntent, long)",
        "void sendMultipartTextMessage(String, String, ArrayList, ArrayList, ArrayList, long)",
        "void sendMultipartTextMessage(String, String, List, List, List, String, String)",
        "void sendMultimediaMessage(Context, Uri, String, Bundle, PendingIntent)", guard=sms)
    api(smm, "void downloadMultimediaMessage(Context, String, Uri, Bundle, PendingIntent)",
        guard=(P + "RECEIVE_MMS",))
    api(smm, "ArrayList divideMessage(String)", kind="observed")
    api("android.telephony.SmsMessage", "static android.telephony.SmsMessage createFromPdu(byte[])",
        "static android.telephony.SmsMessage createFromPdu(byte[], String)")
    api("android.provider.Telephony$Sms$Intents",
        "static android.telephony.SmsMessage[] getMessagesFromIntent(Intent)")
    # Camera and microphone.
    cam = (P + "CAMERA",)
    api("android.hardware.Camera", "static android.hardware.Camera open()",
        "static android.hardware.Camera open(int)", "void startPreview()",
        "void takePicture(android.hardware.Camera$ShutterCallback, android.hardware.Camera$PictureCallback, android.hardware.Camera$PictureCallback)",
        "void takePicture(android.hardware.Camera$ShutterCallback, android.hardware.Camera$PictureCallback, android.hardware.Camera$PictureCallback, android.hardware.Camera$PictureCallback)",
        guard=cam)
    c2 = "android.hardware.camera2.CameraManager"
    api(c2, "void openCamera(String, android.hardware.camera2.CameraDevice$StateCallback, Handler)",
        "void openCamera(String, Executor, android.hardware.camera2.CameraDevice$StateCallback)",
        guard=cam)
    api(c2, "String[] getCameraIdList()", kind="observed")
    mic = (P + "RECORD_AUDIO",)
    api("android.media.MediaRecorder", "void setVideoSource(int)", guard=cam)
    api("android.media.MediaRecorder", "void setAudioSource(int)", "void start()", guard=mic)
    api("android.media.AudioRecord", "void $init(int, int, int, int, int)", "void startRecording()",
        "void startRecording(android.media.MediaSyncEvent)", guard=mic)
    api("android.media.AudioRecord$Builder", "android.media.AudioRecord build()", guard=mic)
    api("android.speech.SpeechRecognizer", "void startListening(Intent)", guard=mic)
    api("android.media.MediaRecorder", "void stop()", kind="observed")
    api("android.media.AudioRecord", "void stop()", kind="observed")
    au = "android.media.AudioManager"  # device and recording inventory: no audio
    api(au, "android.media.AudioDeviceInfo[] getDevices(int)",  # API 23
        "void registerAudioDeviceCallback(android.media.AudioDeviceCallback, Handler)",  # API 23
        "List getActiveRecordingConfigurations()",  # API 24
        "void registerAudioRecordingCallback(android.media.AudioManager$AudioRecordingCallback, Handler)",  # API 24
        kind="observed")
    api("android.hardware.Camera", "static int getNumberOfCameras()",
        "static void getCameraInfo(int, android.hardware.Camera$CameraInfo)", kind="observed")

    # Body sensors and the sensor inventory.
    sen = "android.hardware.SensorManager"
    api(sen, "List getSensorList(int)", "List getDynamicSensorList(int)",
        "android.hardware.Sensor getDefaultSensor(int)")
    api(sen, "boolean registerListener(android.hardware.SensorEventListener, android.hardware.Sensor, int)",
        "boolean registerListener(android.hardware.SensorEventListener, android.hardware.Sensor, int, Handler)")
    # Inventory: installed and running apps.
    for cls, abstract in (("android.content.pm.PackageManager", "abstract "),
                          ("android.app.ApplicationPackageManager", "")):
        api(cls, f"{abstract}List getInstalledPackages(int)",
            f"{abstract}List getInstalledApplications(int)",
            f"{abstract}List queryIntentActivities(Intent, int)",
            f"{abstract}android.content.pm.PackageInfo getPackageInfo(String, int)",
            f"{abstract}List getInstalledModules(int)",
            f"{abstract}List getPackagesHoldingPermissions(String[], int)",
            f"{abstract}List getPreferredPackages(int)",
            f"{abstract}List queryIntentServices(Intent, int)",
            f"{abstract}List queryIntentContentProviders(Intent, int)",  # API 19
            f"{abstract}List queryIntentActivityOptions(android.content.ComponentName, Intent[], Intent, int)",
            value="installed_apps", page="android/content/pm/PackageManager")
        api(cls, f"{abstract}String getInstallerPackageName(String)",  # deprecated in API 30
            page="android/content/pm/PackageManager")
        api(cls, f"{abstract}List getInstalledPackages(android.content.pm.PackageManager$PackageInfoFlags)",
            f"{abstract}List getInstalledApplications(android.content.pm.PackageManager$ApplicationInfoFlags)",
            f"{abstract}List queryIntentActivities(Intent, android.content.pm.PackageManager$ResolveInfoFlags)",
            f"{abstract}List queryIntentServices(Intent, android.content.pm.PackageManager$ResolveInfoFlags)",
            f"{abstract}List queryIntentContentProviders(Intent, android.content.pm.PackageManager$ResolveInfoFlags)",
            f"{abstract}List queryIntentActivityOptions(android.content.ComponentName, List, Intent, android.content.pm.PackageManager$ResolveInfoFlags)",
            value="installed_apps", page="android/content/pm/PackageManager")
    api("java.lang.Runtime", "Process exec(String)", "Process exec(String, String[])",
        "Process exec(String, String[], File)", provided_by="jdk")
    am = "android.app.ActivityManager"
    api(am, "List getRunningAppProcesses()", "List getRunningTasks(int)",
        "List getRunningServices(int)", "List getRecentTasks(int, int)")
    api(am, "PendingIntent getRunningServiceControlPanel(android.content.ComponentName)")
    aw = "android.appwidget.AppWidgetManager"  # every installed app that offers a widget
    api(aw, "List getInstalledProviders()",
        "List getInstalledProvidersForProfile(android.os.UserHandle)",  # API 21
        "List getInstalledProvidersForPackage(String, android.os.UserHandle)",  # API 26
        value="installed_apps")
    us = "android.app.usage.UsageStatsManager"
    api(us, "List queryUsageStats(int, long, long)", "Map queryAndAggregateUsageStats(long, long)",
        "android.app.usage.UsageEvents queryEvents(long, long)")
    cb = "android.content.ClipboardManager"
    api(cb, "android.content.ClipData getPrimaryClip()",
        "android.content.ClipDescription getPrimaryClipDescription()",
        "boolean hasPrimaryClip()", "CharSequence getText()", "boolean hasText()",
        value="clipboard")
    api(cb, "void setPrimaryClip(android.content.ClipData)", kind="observed")
    # Accounts.
    acc = (P + "GET_ACCOUNTS",)
    api("android.accounts.AccountManager", "android.accounts.Account[] getAccounts()",
        "android.accounts.Account[] getAccountsByType(String)",
        "android.accounts.Account[] getAccountsByTypeForPackage(String, String)",
        "android.accounts.AccountManagerFuture getAccountsByTypeAndFeatures(String, String[], android.accounts.AccountManagerCallback, Handler)",
        "android.accounts.AccountManagerFuture hasFeatures(android.accounts.Account, String[], android.accounts.AccountManagerCallback, Handler)",
        "void addOnAccountsUpdatedListener(android.accounts.OnAccountsUpdateListener, Handler, boolean)",
        "void addOnAccountsUpdatedListener(android.accounts.OnAccountsUpdateListener, Handler, boolean, String[])",
        guard=acc, value="accounts")
    api("android.provider.Settings$Secure", "static int getInt(ContentResolver, String, int)")
    # Advertising ID and OAID providers: classes an app ships inside its APK (not framework).
    api("com.google.android.gms.ads.identifier.AdvertisingIdClient",
        "static com.google.android.gms.ads.identifier.AdvertisingIdClient$Info getAdvertisingIdInfo(Context)",
        provided_by="app", value="ad_id",
        page="../../google/android/gms/ads/identifier/AdvertisingIdClient")
    api("com.google.android.gms.ads.identifier.AdvertisingIdClient$Info", "String getId()",
        provided_by="app", value="ad_id",
        page="../../google/android/gms/ads/identifier/AdvertisingIdClient.Info")
    api("androidx.ads.identifier.AdvertisingIdClient",
        "static com.google.common.util.concurrent.ListenableFuture getAdvertisingIdInfo(Context)",
        provided_by="app", value="ad_id", page="androidx/ads/identifier/AdvertisingIdClient")
    api("com.huawei.hms.ads.identifier.AdvertisingIdClient",
        "static com.huawei.hms.ads.identifier.AdvertisingIdClient$Info getAdvertisingIdInfo(Context)",
        provided_by="app", value="oaid",
        page="https://developer.huawei.com/consumer/en/doc/HMSCore-References/advertisingidclient")
    api("com.huawei.hms.ads.identifier.AdvertisingIdClient$Info", "String getId()",
        provided_by="app", value="oaid",
        page="https://developer.huawei.com/consumer/en/doc/HMSCore-References/advertisingidclient")
    api("com.bun.miitmdid.core.MdidSdkHelper",
        "static int InitSdk(Context, boolean, com.bun.miitmdid.interfaces.IIdentifierListener)",
        provided_by="app", value="oaid", page="http://www.msa-alliance.cn/col.jsp?id=120")
    # Consent-relevant calls: permission requests and package installs.
    for cls, static in (("android.app.Activity", ""), ("androidx.fragment.app.Fragment", ""),
                        ("android.support.v4.app.Fragment", ""), ("android.app.Fragment", "")):
        api(cls, f"{static}void requestPermissions(String[], int)", kind="consent")
    for cls in ("androidx.core.app.ActivityCompat", "android.support.v4.app.ActivityCompat"):
        api(cls, "static void requestPermissions(Activity, String[], int)", kind="consent",
            provided_by="app")
    api("androidx.activity.result.ActivityResultLauncher", "void launch(Object)",
        kind="consent", provided_by="app")
    pi = "android.content.pm.PackageInstaller"
    api(pi, "int createSession(android.content.pm.PackageInstaller$SessionParams)",
        "android.content.pm.PackageInstaller$Session openSession(int)", kind="install")
    api(pi + "$Session", "void commit(android.content.IntentSender)", kind="install")
    it = "android.content.Intent"
    api(it, "Intent setDataAndType(Uri, String)", "Intent setDataAndTypeAndNormalize(Uri, String)",
        "Intent setType(String)", "Intent setTypeAndNormalize(String)", "Intent setAction(String)",
        "void $init(String)", "void $init(String, Uri)", kind="install")
    api("android.app.DownloadManager$Request", "void $init(Uri)",
        "android.app.DownloadManager$Request setMimeType(String)", kind="install")
    api("android.app.DownloadManager", "long enqueue(android.app.DownloadManager$Request)",
        kind="install")
    return out


@dataclass(frozen=True)
class ClassInfo:
    kind: str  # "class", "abstract" (an abstract class) or "interface"
    extends: str | None = None
    implements: tuple[str, ...] = ()
    type_params: tuple[str, ...] = ()
    #: Public constructors' parameter lists; None: the generator's no-argument one.
    constructors: tuple[tuple[str, ...], ...] | None = None


_PARCELABLE = ("android.os.Parcelable",)

#: The declaration line of each class page of the API reference, for the classes the
#: surface's signatures name (binary names, '$' for nested classes). Interfaces that need
#: implementing (AutoCloseable's close, ComponentCallbacks') are left out: a generated
#: stub has no bodies for them.
CLASSES: dict[str, ClassInfo] = {
    "android.accounts.AccountManagerCallback": ClassInfo("interface", type_params=("V",)),
    "android.accounts.AccountManagerFuture": ClassInfo("interface", type_params=("V",)),
    "android.accounts.OnAccountsUpdateListener": ClassInfo("interface"),
    "android.app.Fragment": ClassInfo("class"),
    "android.app.PendingIntent": ClassInfo("class", implements=_PARCELABLE),
    "android.app.admin.DevicePolicyManager": ClassInfo("class"),
    "android.app.usage.UsageEvents": ClassInfo("class", implements=_PARCELABLE),
    "android.app.usage.UsageStatsManager": ClassInfo("class"),
    "android.appwidget.AppWidgetManager": ClassInfo("class"),
    "android.bluetooth.BluetoothDevice": ClassInfo("class", implements=_PARCELABLE),
    "android.bluetooth.le.BluetoothLeScanner": ClassInfo("class"),
    "android.bluetooth.le.ScanCallback": ClassInfo("abstract"),
    "android.bluetooth.le.ScanSettings": ClassInfo("class", implements=_PARCELABLE),
    "android.content.ClipDescription": ClassInfo("class", implements=_PARCELABLE),
    "android.content.ContentProviderResult": ClassInfo("class", implements=_PARCELABLE),
    "android.content.SyncInfo": ClassInfo("class", implements=_PARCELABLE),
    "android.content.pm.PackageManager$ResolveInfoFlags": ClassInfo("class"),
    "android.database.ContentObserver": ClassInfo("abstract",
                                                  constructors=(("android.os.Handler",),)),
    "android.graphics.Bitmap": ClassInfo("class", implements=_PARCELABLE),
    "android.hardware.Camera$CameraInfo": ClassInfo("class"),
    "android.hardware.Camera$PictureCallback": ClassInfo("interface"),
    "android.hardware.Camera$ShutterCallback": ClassInfo("interface"),
    "android.hardware.Sensor": ClassInfo("class"),
    # abstract; the device hands out android.hardware.SystemSensorManager (hidden)
    "android.hardware.SensorManager": ClassInfo("abstract"),
    "android.hardware.SensorEventListener": ClassInfo("interface"),
    "android.location.Criteria": ClassInfo("class", implements=_PARCELABLE),
    "android.location.Geocoder": ClassInfo("class", constructors=(
        ("android.content.Context",), ("android.content.Context", "java.util.Locale"))),
    "android.location.Geocoder$GeocodeListener": ClassInfo("interface"),
    "android.location.GnssMeasurementsEvent": ClassInfo("class", implements=_PARCELABLE),
    "android.location.GnssMeasurementsEvent$Callback": ClassInfo("abstract"),
    "android.location.GnssNavigationMessage": ClassInfo("class", implements=_PARCELABLE),
    "android.location.GnssNavigationMessage$Callback": ClassInfo("abstract"),
    "android.location.GnssStatus": ClassInfo("class", implements=_PARCELABLE),
    "android.location.GnssStatus$Callback": ClassInfo("abstract"),
    "android.location.GpsStatus": ClassInfo("class"),
    "android.location.GpsStatus$Listener": ClassInfo("interface"),
    "android.location.GpsStatus$NmeaListener": ClassInfo("interface"),
    "android.location.LocationProvider": ClassInfo("class"),
    "android.location.OnNmeaMessageListener": ClassInfo("interface"),
    "android.media.AudioDeviceCallback": ClassInfo("abstract"),
    "android.media.AudioDeviceInfo": ClassInfo("class"),
    "android.media.AudioManager": ClassInfo("class"),
    "android.media.AudioManager$AudioRecordingCallback": ClassInfo("abstract"),
    "android.media.AudioRecord$Builder": ClassInfo("class"),
    "android.media.MediaDrm": ClassInfo("class"),
    "android.media.MediaSyncEvent": ClassInfo("class"),
    "android.net.DhcpInfo": ClassInfo("class", implements=_PARCELABLE),
    "android.net.NetworkInfo": ClassInfo("class", implements=_PARCELABLE),
    "android.net.sip.SipAudioCall": ClassInfo("class"),
    "android.net.sip.SipAudioCall$Listener": ClassInfo("class"),
    "android.net.sip.SipManager": ClassInfo("class"),
    "android.net.sip.SipProfile": ClassInfo("class", implements=(
        "android.os.Parcelable", "java.io.Serializable", "java.lang.Cloneable")),
    "android.net.sip.SipRegistrationListener": ClassInfo("interface"),
    "android.net.sip.SipSession": ClassInfo("class"),
    "android.net.sip.SipSession$Listener": ClassInfo("class"),
    "android.os.Parcelable": ClassInfo("interface"),
    "android.os.UserHandle": ClassInfo("class", implements=_PARCELABLE),
    "android.speech.SpeechRecognizer": ClassInfo("class"),
    "android.support.v4.app.Fragment": ClassInfo("class"),
    "android.telecom.PhoneAccountHandle": ClassInfo("class", implements=_PARCELABLE),
    "android.telecom.TelecomManager": ClassInfo("class"),
    "android.telephony.CellLocation": ClassInfo("abstract"),
    "android.telephony.PhoneNumberUtils": ClassInfo("class"),
    "android.telephony.PhoneStateListener": ClassInfo("class"),
    "android.telephony.ServiceState": ClassInfo("class", implements=_PARCELABLE),
    "android.telephony.SmsManager": ClassInfo("class"),
    "android.telephony.SmsMessage": ClassInfo("class"),
    "android.telephony.SubscriptionInfo": ClassInfo("class", implements=_PARCELABLE),
    "android.telephony.SubscriptionManager": ClassInfo("class"),
    "android.telephony.SubscriptionManager$OnSubscriptionsChangedListener": ClassInfo("class"),
    "android.telephony.TelephonyCallback": ClassInfo("class"),
    "android.telephony.TelephonyManager$CellInfoCallback": ClassInfo("abstract"),
    "android.telephony.UiccCardInfo": ClassInfo("class", implements=_PARCELABLE),
    "android.telephony.cdma.CdmaCellLocation": ClassInfo(
        "class", extends="android.telephony.CellLocation",
        constructors=((), ("android.os.Bundle",))),
    "android.telephony.gsm.GsmCellLocation": ClassInfo(
        "class", extends="android.telephony.CellLocation"),
    "android.telephony.gsm.SmsManager": ClassInfo("class"),
    "android.util.Size": ClassInfo("class"),
    # Classes the simulator writes by hand: the same table checks their declarations.
    "android.content.pm.PackageManager": ClassInfo("abstract"),
    "android.app.ApplicationPackageManager": ClassInfo(
        "class", extends="android.content.pm.PackageManager"),
    "android.content.ContentResolver": ClassInfo("abstract"),
}


def classes_table() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, info in sorted(CLASSES.items()):
        row: dict[str, Any] = {"kind": info.kind, "extends": info.extends,
                               "implements": list(info.implements)}
        if info.type_params:
            row["type_params"] = list(info.type_params)
        if info.constructors is not None:
            row["constructors"] = [list(c) for c in info.constructors]
        row["doc"] = REF + name.replace(".", "/").replace("$", ".")
        out[name] = row
    return out


#: Static methods among the mapped ones (the mappings do not say; the reference does).
STATIC = {("android.telephony.PhoneNumberUtils", "isVoiceMailNumber"),
          ("android.telephony.SmsManager", "getDefault"),
          ("android.telephony.gsm.SmsManager", "getDefault"),
          ("android.accounts.AccountManager", "get"),
          ("android.hardware.Camera", "open")}

#: Providers by authority: the permissions their read / write calls need (reference:
#: ContactsContract, CallLog, Telephony, CalendarContract, MediaStore, VoicemailContract).
PROVIDERS = {
    "com.android.contacts": {"read": [P + "READ_CONTACTS"], "write": [P + "WRITE_CONTACTS"]},
    "contacts": {"read": [P + "READ_CONTACTS"], "write": [P + "WRITE_CONTACTS"]},
    "call_log": {"read": [P + "READ_CALL_LOG"], "write": [P + "WRITE_CALL_LOG"]},
    "sms": {"read": [P + "READ_SMS"], "write": [P + "WRITE_SMS"]},
    "mms": {"read": [P + "READ_SMS"], "write": [P + "WRITE_SMS"]},
    "mms-sms": {"read": [P + "READ_SMS"], "write": [P + "WRITE_SMS"]},
    "com.android.calendar": {"read": [P + "READ_CALENDAR"], "write": [P + "WRITE_CALENDAR"]},
    "media": {"read": [P + "READ_EXTERNAL_STORAGE"], "write": [P + "WRITE_EXTERNAL_STORAGE"]},
    "com.android.voicemail": {"read": ["com.android.voicemail.permission.READ_VOICEMAIL"],
                              "write": ["com.android.voicemail.permission.WRITE_VOICEMAIL"]},
}


# --------------------------------------------------------------------------- androguard

def _androguard_root() -> Path:
    import androguard

    return Path(androguard.__file__).resolve().parent / "core" / "api_specific_resources"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def permission_table(root: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, str]]]:
    """Every permission AOSP declared dangerous since runtime permissions exist (API 23+),
    with its group (the latest level that names one)."""
    table: dict[str, dict[str, Any]] = {}
    files = sorted((root / "aosp_permissions").glob("permissions_*.json"),
                   key=lambda p: int(p.stem.split("_")[1]))
    for f in files:
        if int(f.stem.split("_")[1]) < RUNTIME_PERMISSIONS_SINCE:
            continue
        perms = json.loads(f.read_text(encoding="utf-8")).get("permissions", {})
        for name, info in perms.items():
            if "dangerous" not in str(info.get("protectionLevel", "")):
                continue
            entry = table.setdefault(name, {"dangerous": True, "group": None})
            grp = GROUP_OVERRIDE.get(name) or GROUPS.get(str(info.get("permissionGroup", "")))
            if grp:
                entry["group"] = grp
    return table, [{"file": f"aosp_permissions/{f.name}", "sha256": _sha(f)} for f in files]


def mapped_methods(root: Path, perms: dict[str, dict[str, Any]]
                   ) -> tuple[list[Method], list[dict[str, str]]]:
    found: dict[tuple[str, str, tuple[str, ...]], Method] = {}
    files = sorted((root / "api_permission_mappings").glob("permissions_*.json"),
                   key=lambda p: int(p.stem.split("_")[1]))
    for f in files:
        level = int(f.stem.split("_")[1])
        for key, plist in json.loads(f.read_text(encoding="utf-8")).items():
            if not any((perms.get(p) or {}).get("group") for p in plist):
                continue
            cls, method, params, ret = parse_key(key)
            if not cls.startswith("android.") or HIDDEN_CLASS.search(cls):
                continue
            m = found.setdefault((cls, method, params), Method(cls, method, params, ret))
            m.permissions |= set(plist)
            m.levels.add(level)
            m.sources.add("androguard")
            m.static = (cls, method) in STATIC
    return list(found.values()), [{"file": f"api_permission_mappings/{f.name}",
                                   "sha256": _sha(f)} for f in files]


def build() -> dict[str, Any]:
    root = _androguard_root()
    perms, perm_files = permission_table(root)
    mapped, map_files = mapped_methods(root, perms)
    merged: dict[tuple[str, str, tuple[str, ...]], Method] = {}
    for m in [*mapped, *_docs()]:
        key = (m.cls, m.method, m.params)
        have = merged.get(key)
        if have is None:
            merged[key] = m
            continue
        have.permissions |= m.permissions
        have.sources |= m.sources
        have.static = have.static or m.static
        have.abstract = have.abstract or m.abstract
        have.value = have.value or m.value
        have.doc = have.doc or m.doc
        if m.kind != "data":
            have.kind = m.kind
    methods = []
    for m in sorted(merged.values(), key=lambda x: (x.cls, x.method, x.params)):
        guard = sorted(p for p in m.permissions if (perms.get(p) or {}).get("dangerous"))
        groups = sorted({perms[p]["group"] for p in guard if perms[p].get("group")})
        methods.append({
            "class": m.cls, "method": m.method, "params": list(m.params), "returns": m.returns,
            "static": m.static, "abstract": m.abstract, "provided_by": m.provided_by,
            "kind": m.kind, "permissions": sorted(m.permissions), "guard": guard,
            "groups": groups, "value": m.value, "api_levels": sorted(m.levels),
            "sources": sorted(m.sources), "doc": m.doc,
        })
    return {
        "format": 1,
        "generated_by": "tools/gen_android_surface.py",
        "provenance": {
            "androguard": metadata.version("androguard"),
            "files": map_files + perm_files,
            "docs": REF + "packages",
            "note": "androguard's mappings cover API 16-25; later signatures and the "
                    "unguarded identifier/inventory APIs come from the docs list in the tool; "
                    "class kinds, parents and constructors from its CLASSES table (the same "
                    "reference's class declarations)",
        },
        "groups": sorted(set(GROUPS.values()) | set(GROUP_OVERRIDE.values())),
        "dangerous_permissions": {p: v["group"] for p, v in sorted(perms.items())},
        "providers": PROVIDERS,
        "classes": classes_table(),
        "methods": methods,
    }


def render() -> str:
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python tools/gen_android_surface.py")
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    data = json.loads(text)
    by_src: dict[str, int] = defaultdict(int)
    for m in data["methods"]:
        by_src["+".join(m["sources"])] += 1
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['methods'])} methods {dict(by_src)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
