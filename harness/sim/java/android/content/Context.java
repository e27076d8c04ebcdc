package android.content;

import android.content.pm.ApplicationInfo;
import android.content.pm.PackageManager;
import android.os.Looper;

public abstract class Context {
    public static final int MODE_PRIVATE = 0;
    public static final String TELEPHONY_SERVICE = "phone";
    public static final String TELEPHONY_SUBSCRIPTION_SERVICE = "telephony_subscription_service";
    public static final String LOCATION_SERVICE = "location";
    public static final String WIFI_SERVICE = "wifi";
    public static final String CLIPBOARD_SERVICE = "clipboard";
    public static final String ACCOUNT_SERVICE = "account";
    public static final String ACTIVITY_SERVICE = "activity";
    public static final String CAMERA_SERVICE = "camera";
    public static final String DOWNLOAD_SERVICE = "download";
    public static final String SENSOR_SERVICE = "sensor";
    public static final String CONNECTIVITY_SERVICE = "connectivity";
    public static final String BLUETOOTH_SERVICE = "bluetooth";

    public abstract Object getSystemService(String name);

    public abstract SharedPreferences getSharedPreferences(String name, int mode);

    public abstract ContentResolver getContentResolver();

    public abstract PackageManager getPackageManager();

    public abstract String getPackageName();

    public abstract Context getApplicationContext();

    public abstract ApplicationInfo getApplicationInfo();

    public abstract Looper getMainLooper();

    public abstract void startActivity(Intent intent);

    /** Starts a service of this app, in the process its manifest entry names (android:process). */
    public abstract ComponentName startService(Intent service);

    public abstract int checkSelfPermission(String permission);

    public abstract java.io.File getFilesDir();

    public abstract java.io.File getCacheDir();

    public abstract java.io.File getExternalFilesDir(String type);

    public final String getString(int resId) { return ""; }
}
