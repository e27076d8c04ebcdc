package android.sim;

import android.accounts.Account;
import android.app.ActivityManager;
import android.app.ActivityThread;
import android.content.ClipData;
import android.content.pm.ApplicationInfo;
import android.content.pm.PackageInfo;
import android.content.pm.PackageManager;
import android.database.MatrixCursor;
import android.hardware.Camera;
import android.hardware.camera2.CameraDevice;
import android.location.Location;
import android.location.LocationListener;
import android.location.LocationRequest;
import android.net.Uri;
import android.net.wifi.ScanResult;
import android.net.wifi.WifiInfo;
import android.os.Handler;
import android.os.Looper;
import android.telephony.CellInfo;
import android.telephony.gsm.GsmCellLocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Hand-written behaviour of surface methods, keyed by "class.method" (binary class name). Values
 * are per-device (SIM_DEVICE) so two simulated devices report different identifiers.
 */
public final class Behaviours {
    private static volatile ClipData clip;
    private static final Map<LocationListener, Handler> LISTENERS = new ConcurrentHashMap<>();

    private Behaviours() {}

    public static void setClip(ClipData c) { clip = c; }

    public static void removeLocationListener(LocationListener l) { LISTENERS.remove(l); }

    private static Location location(String provider) {
        double[] ll = DeviceInfo.location();
        Location l = new Location(provider == null ? "gps" : provider);
        l.setLatitude(ll[0]);
        l.setLongitude(ll[1]);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(String key, String... dflt) {
        Object v = DeviceInfo.all().get(key);
        if (v instanceof List) {
            List<String> out = new ArrayList<>();
            for (Object o : (List<Object>) v) out.add(o instanceof Map ? String.valueOf(((Map<String, Object>) o).get("name")) : String.valueOf(o));
            return out;
        }
        return Arrays.asList(dflt);
    }

    private static List<String> installedPackages() {
        List<String> l = new ArrayList<>(strings("installed_packages",
            "com.android.settings", "com.android.contacts", "com.example.wallet", "com.example.game", "com.example.chat"));
        String me = ActivityThread.currentPackageName();
        if (me != null && !l.contains(me)) l.add(me);
        return l;
    }

    static void install() {
        String tm = "android.telephony.TelephonyManager.";
        Sensitive.define(tm + "getNetworkOperator", (s, a) -> DeviceInfo.get("operator", "46000"));
        Sensitive.define(tm + "getSimOperator", (s, a) -> DeviceInfo.get("operator", "46000"));
        Sensitive.define(tm + "getPhoneType", (s, a) -> android.telephony.TelephonyManager.PHONE_TYPE_GSM);
        Sensitive.define(tm + "getSimState", (s, a) -> android.telephony.TelephonyManager.SIM_STATE_READY);
        Sensitive.define(tm + "getNetworkType", (s, a) -> 13);  // LTE
        Sensitive.define(tm + "getNetworkOperatorName", (s, a) -> DeviceInfo.get("operator_name", "SIM Mobile"));
        Sensitive.define(tm + "getSimOperatorName", (s, a) -> DeviceInfo.get("operator_name", "SIM Mobile"));
        Sensitive.define(tm + "getNetworkCountryIso", (s, a) -> DeviceInfo.get("country_iso", "cn"));
        Sensitive.define(tm + "getSimCountryIso", (s, a) -> DeviceInfo.get("country_iso", "cn"));
        Sensitive.define(tm + "getCellLocation", (s, a) -> new GsmCellLocation(0x2a1f, 0x1b2c3));
        Sensitive.define(tm + "getAllCellInfo", (s, a) -> new ArrayList<>(Arrays.asList(new CellInfo(0x1b2c3, -87), new CellInfo(0x1b2c4, -101))));

        String lm = "android.location.LocationManager.";
        Sensitive.define(lm + "getLastKnownLocation", (s, a) -> location((String) a[0]));
        Sensitive.define(lm + "getProviders", (s, a) -> new ArrayList<>(Arrays.asList("gps", "network", "passive")));
        // Every leaf overload: (provider, ms, m, [Executor,] listener) before API 31, and
        // (provider, LocationRequest, Executor, listener) — where the others end — from 31.
        Sensitive.define(lm + "requestLocationUpdates", (s, a) -> {
            if (!(a[a.length - 1] instanceof LocationListener)) return null;  // PendingIntent forms
            LocationListener l = (LocationListener) a[a.length - 1];
            Executor ex = a.length >= 4 && a[a.length - 2] instanceof Executor ? (Executor) a[a.length - 2] : null;
            Handler h = new Handler(Looper.myLooper() != null ? Looper.myLooper() : Looper.getMainLooper());
            LISTENERS.put(l, h);
            String provider = a[0] instanceof String ? (String) a[0] : "fused";
            long ms = a[1] instanceof LocationRequest ? ((LocationRequest) a[1]).getIntervalMillis()
                : a[1] instanceof Number ? ((Number) a[1]).longValue() : 1000L;
            long every = Math.max(1000L, ms);
            Runnable tick = new Runnable() {
                @Override public void run() {
                    if (LISTENERS.get(l) != h) return;
                    Location at = location(provider);
                    if (ex != null) ex.execute(() -> l.onLocationChanged(at)); else l.onLocationChanged(at);
                    h.postDelayed(this, every);
                }
            };
            h.post(tick);
            return null;
        });
        Sensitive.define(lm + "requestSingleUpdate", (s, a) -> {
            LocationListener l = (LocationListener) a[1];
            Looper lp = (Looper) a[2];
            new Handler(lp != null ? lp : Looper.getMainLooper()).post(() -> l.onLocationChanged(location((String) a[0])));
            return null;
        });

        Sensitive.define("android.net.wifi.WifiManager.getConnectionInfo", (s, a) -> new WifiInfo());
        Sensitive.define("android.net.wifi.WifiManager.startScan", (s, a) -> true);
        Sensitive.define("android.net.wifi.WifiManager.getScanResults", (s, a) -> new ArrayList<>(Arrays.asList(
            new ScanResult("\"SimNet-5G\"", DeviceInfo.get("bssid", "02:1a:11:f0:00:01"), -48),
            new ScanResult("\"Cafe-Guest\"", "02:1a:11:f0:00:7c", -71))));
        Sensitive.define("android.net.wifi.WifiInfo.getSSID", (s, a) -> "\"" + DeviceInfo.get("ssid", "SimNet-5G") + "\"");
        Sensitive.define("android.net.wifi.WifiInfo.getBSSID", (s, a) -> DeviceInfo.get("bssid", "02:1a:11:f0:00:01"));
        Sensitive.define("android.net.wifi.WifiInfo.getIpAddress", (s, a) -> 0x6401a8c0);

        String cb = "android.content.ClipboardManager.";
        Sensitive.define(cb + "setPrimaryClip", (s, a) -> { clip = (ClipData) a[0]; return null; });
        Sensitive.define(cb + "getPrimaryClip", (s, a) -> {
            if (clip == null) clip = ClipData.newPlainText("text", DeviceInfo.get("clipboard", "验证码 482913"));
            return clip;
        });
        Sensitive.define(cb + "hasPrimaryClip", (s, a) -> true);
        Sensitive.define(cb + "getText", (s, a) -> {
            ClipData c = clip != null ? clip : ClipData.newPlainText("text", DeviceInfo.get("clipboard", "验证码 482913"));
            return c.getItemAt(0).getText();
        });

        Behaviour accounts = (s, a) -> {
            List<String> names = strings("accounts", "user@example.com");
            Account[] out = new Account[names.size()];
            for (int i = 0; i < out.length; i++) out[i] = new Account(names.get(i), "com.example.account");
            return out;
        };
        Sensitive.define("android.accounts.AccountManager.getAccounts", accounts);
        Sensitive.define("android.accounts.AccountManager.getAccountsByType", accounts);

        Sensitive.define("android.app.ActivityManager.getRunningAppProcesses", (s, a) -> {
            List<ActivityManager.RunningAppProcessInfo> l = new ArrayList<>();
            l.add(new ActivityManager.RunningAppProcessInfo(ActivityThread.currentPackageName(), android.os.Process.myPid(), null));
            for (String p : strings("running_processes", "system_server", "com.android.systemui", "com.example.chat:push")) {
                l.add(new ActivityManager.RunningAppProcessInfo(p, 1000 + Math.abs(p.hashCode() % 30000), null));
            }
            return l;
        });

        String cam2 = "android.hardware.camera2.CameraManager.";
        Sensitive.define(cam2 + "getCameraIdList", (s, a) -> new String[] {"0", "1"});
        Sensitive.define(cam2 + "openCamera", (s, a) -> {
            String id = (String) a[0];
            CameraDevice.StateCallback cbk = (CameraDevice.StateCallback) a[1];
            Handler h = a[2] != null ? (Handler) a[2] : new Handler(Looper.getMainLooper());
            h.post(() -> cbk.onOpened(new CameraDevice() {
                @Override public String getId() { return id; }

                @Override public void close() {}
            }));
            return null;
        });
        Sensitive.define("android.hardware.Camera.open", (s, a) -> new Camera());

        String pm = "android.app.ApplicationPackageManager.";
        Sensitive.define(pm + "getInstalledPackages", (s, a) -> {
            List<PackageInfo> l = new ArrayList<>();
            for (String p : installedPackages()) {
                PackageInfo pi = new PackageInfo();
                pi.packageName = p;
                pi.versionName = "1.0";
                pi.applicationInfo = appInfo(p);
                l.add(pi);
            }
            return l;
        });
        Sensitive.define(pm + "getInstalledApplications", (s, a) -> {
            List<ApplicationInfo> l = new ArrayList<>();
            for (String p : installedPackages()) l.add(appInfo(p));
            return l;
        });
        Sensitive.define(pm + "getPackageInfo", (s, a) -> {
            String p = (String) a[0];
            if (!installedPackages().contains(p)) throw new PackageManager.NameNotFoundException(p);
            PackageInfo pi = new PackageInfo();
            pi.packageName = p;
            pi.versionName = "1.0";
            pi.applicationInfo = appInfo(p);
            return pi;
        });

        Sensitive.define("android.content.ContentResolver.query", (s, a) -> query((Uri) a[0]));

        Sensitive.define("android.app.Activity.requestPermissions", (s, a) -> {
            ActivityThread.requestPermissions((android.app.Activity) s, null, (String[]) a[0], (Integer) a[1]);
            return null;
        });
        Behaviour compat = (s, a) -> {
            ((android.app.Activity) a[0]).requestPermissions((String[]) a[1], (Integer) a[2]);
            return null;
        };
        Sensitive.define("androidx.core.app.ActivityCompat.requestPermissions", compat);
        Sensitive.define("android.support.v4.app.ActivityCompat.requestPermissions", compat);
        Sensitive.define("androidx.fragment.app.Fragment.requestPermissions", (s, a) -> {
            androidx.fragment.app.Fragment f = (androidx.fragment.app.Fragment) s;
            ActivityThread.requestPermissions(f.getActivity(), f::onRequestPermissionsResult, (String[]) a[0], (Integer) a[1]);
            return null;
        });

        Sensitive.define("android.content.pm.PackageInstaller.createSession", (s, a) -> {
            android.content.pm.PackageInstaller.SessionParams p = (android.content.pm.PackageInstaller.SessionParams) a[0];
            int id = 1000 + (int) (System.nanoTime() % 1000);
            Bridge.send(Json.obj("t", "install", "package", p == null || p.appPackageName == null ? "" : p.appPackageName, "source", "session"));
            return id;
        });
        Sensitive.define("android.content.pm.PackageInstaller.openSession", (s, a) -> new android.content.pm.PackageInstaller.Session((Integer) a[0]));
        Sensitive.define("android.app.DownloadManager.enqueue", (s, a) -> {
            android.app.DownloadManager.Request r = (android.app.DownloadManager.Request) a[0];
            String last = r.getUri() == null ? null : r.getUri().getLastPathSegment();
            if ((last != null && last.endsWith(".apk")) || "application/vnd.android.package-archive".equals(r.getMimeType())) {
                String pkg = last != null && last.endsWith(".apk") ? last.substring(0, last.length() - 4) : "";
                Bridge.send(Json.obj("t", "install", "package", pkg, "source", "download"));
            }
            return 1L + (System.nanoTime() & 0xffff);
        });

        Sensitive.define("android.os.SystemProperties.get", (s, a) -> {
            String key = String.valueOf(a[0]);
            if (key.equals("ro.serialno") || key.equals("ro.boot.serialno")) return DeviceInfo.get("serial", "SIM0000000001");
            String v = DeviceInfo.get("prop." + key, null);
            return v != null ? v : a.length > 1 ? a[1] : "";
        });
        Sensitive.define("android.provider.Settings$Secure.getString", (s, a) -> secure((String) a[1]));
        Sensitive.define("android.provider.Settings$System.getString", (s, a) -> secure((String) a[1]));
    }

    private static String secure(String name) {
        if ("android_id".equals(name)) return DeviceInfo.get("android_id", "9774d56d682e549c");
        if ("bluetooth_address".equals(name)) return DeviceInfo.get("bt_mac", "02:00:00:00:00:01");
        return DeviceInfo.get("setting." + name, null);
    }

    private static ApplicationInfo appInfo(String p) {
        ApplicationInfo ai = new ApplicationInfo();
        ai.packageName = p;
        ai.flags = p.startsWith("com.android.") ? ApplicationInfo.FLAG_SYSTEM : 0;
        return ai;
    }

    /** Content providers of the device: small tables by authority. */
    @SuppressWarnings("unchecked")
    private static MatrixCursor query(Uri uri) {
        String auth = uri == null ? "" : String.valueOf(uri.getAuthority());
        String path = uri == null ? "" : String.valueOf(uri.getPath());
        MatrixCursor c;
        switch (auth) {
            case "com.android.contacts":
            case "contacts": {
                c = new MatrixCursor(new String[] {"_id", "display_name", "data1"});
                Object v = DeviceInfo.all().get("contacts");
                if (v instanceof List) {
                    int i = 1;
                    for (Object o : (List<Object>) v) {
                        Map<String, Object> m = o instanceof Map ? (Map<String, Object>) o : Json.obj("name", String.valueOf(o));
                        c.addRow(new Object[] {i++, m.get("name"), m.get("phone")});
                    }
                } else {
                    c.addRow(new Object[] {1, "张伟", "+8613800138000"});
                    c.addRow(new Object[] {2, "Alice Example", "+8613900139000"});
                }
                return c;
            }
            case "sms":
                c = new MatrixCursor(new String[] {"_id", "address", "body"});
                c.addRow(new Object[] {1, "10086", "您的验证码是 482913"});
                return c;
            case "call_log":
                c = new MatrixCursor(new String[] {"_id", "number", "duration"});
                c.addRow(new Object[] {1, "+8613800138000", 63});
                return c;
            case "com.android.calendar":
                c = new MatrixCursor(new String[] {"_id", "title", "dtstart"});
                c.addRow(new Object[] {1, "Dentist", 1735689600000L});
                return c;
            case "media":
                c = new MatrixCursor(new String[] {"_id", "_data"});
                c.addRow(new Object[] {1, "/sdcard/DCIM/Camera/IMG_0001.jpg"});
                return c;
            default:
                android.util.Log.w("ContentResolver", "Failed to find provider info for " + auth + " (" + path + ")");
                return null;
        }
    }

    /** Alias so Sensitive can refer to the nested type without an import cycle. */
    interface Behaviour extends Sensitive.Behaviour {}
}
