package android.app;

import android.content.ContentResolver;
import android.content.Context;
import android.content.Intent;
import android.content.SharedPreferences;
import android.content.pm.ApplicationInfo;
import android.content.pm.PackageManager;
import android.os.Looper;
import android.sim.Perms;
import java.io.File;
import java.util.HashMap;
import java.util.Map;

/** The one real Context of the process; Application and Activity wrap it. */
public class ContextImpl extends Context {
    private static final Map<String, Object> SERVICES = new HashMap<>();
    private static final Map<String, SharedPreferences> PREFS = new HashMap<>();
    private static ContentResolver resolver;
    private static PackageManager pm;

    final String packageName;
    final File dataDir;

    ContextImpl(String packageName, File dataDir) {
        this.packageName = packageName;
        this.dataDir = dataDir;
    }

    /** System services are CONCRETE classes, as on Android (abstract methods never fire hooks). */
    @Override
    public Object getSystemService(String name) {
        synchronized (SERVICES) {
            Object s = SERVICES.get(name);
            if (s == null) {
                s = create(name);
                if (s != null) SERVICES.put(name, s);
            }
            return s;
        }
    }

    private Object create(String name) {
        switch (name) {
            case TELEPHONY_SERVICE: return new android.telephony.TelephonyManager();
            case LOCATION_SERVICE: return new android.location.LocationManager();
            case WIFI_SERVICE: return new android.net.wifi.WifiManager();
            case CLIPBOARD_SERVICE: return new android.content.ClipboardManager();
            case ACCOUNT_SERVICE: return new android.accounts.AccountManager();
            case ACTIVITY_SERVICE: return new ActivityManager();
            case CAMERA_SERVICE: return new android.hardware.camera2.CameraManager();
            case DOWNLOAD_SERVICE: return new DownloadManager();
            case SENSOR_SERVICE: return new android.hardware.SystemSensorManager();
            default: return null;
        }
    }

    @Override
    public SharedPreferences getSharedPreferences(String name, int mode) {
        synchronized (PREFS) {
            return PREFS.computeIfAbsent(name, n -> new SharedPreferencesImpl(new File(new File(dataDir, "shared_prefs"), n + ".xml")));
        }
    }

    @Override
    public synchronized ContentResolver getContentResolver() {
        if (resolver == null) resolver = new ApplicationContentResolver(this);
        return resolver;
    }

    /** Android's ContextImpl.ApplicationContentResolver: the concrete resolver apps get. */
    private static final class ApplicationContentResolver extends ContentResolver {
        ApplicationContentResolver(android.content.Context context) { super(context); }
    }

    @Override
    public synchronized PackageManager getPackageManager() {
        if (pm == null) pm = new ApplicationPackageManager();
        return pm;
    }

    @Override public String getPackageName() { return packageName; }

    @Override public Context getApplicationContext() { return ActivityThread.currentApplication(); }

    @Override
    public ApplicationInfo getApplicationInfo() {
        ApplicationInfo ai = new ApplicationInfo();
        ai.packageName = packageName;
        ai.dataDir = dataDir.getPath();
        ai.sourceDir = System.getenv("SIM_APP_DIR");
        return ai;
    }

    @Override public Looper getMainLooper() { return Looper.getMainLooper(); }

    /*@api*/ @Override public void startActivity(android.content.Intent intent) {
        android.sim.Sensitive.guard("android.app.ContextImpl.startActivity", new Object[] {intent});
        ActivityThread.startActivity(intent);
    }

    /** As ActiveServices.startServiceLocked: a service of another process (android:process) starts
     * that process if it is not running; the device (AMS) does that, not the caller. */
    @Override
    public android.content.ComponentName startService(Intent service) {
        return ActivityThread.startService(service);
    }

    @Override
    public int checkSelfPermission(String permission) {
        return Perms.isGranted(permission) ? PackageManager.PERMISSION_GRANTED : PackageManager.PERMISSION_DENIED;
    }

    @Override public File getFilesDir() { return mk(new File(dataDir, "files")); }

    @Override public File getCacheDir() { return mk(new File(dataDir, "cache")); }

    @Override public File getExternalFilesDir(String type) { return mk(new File(dataDir, "external" + (type == null ? "" : "/" + type))); }

    private static File mk(File f) {
        if (!f.isDirectory() && !f.mkdirs()) android.util.Log.w("ContextImpl", "cannot create " + f);
        return f;
    }

    static void forgetPrefs() {
        synchronized (PREFS) {
            PREFS.clear();
        }
    }

    static Intent copy(Intent i) { return i; }
}
