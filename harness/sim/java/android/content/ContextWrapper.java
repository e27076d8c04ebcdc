package android.content;

import android.content.pm.ApplicationInfo;
import android.content.pm.PackageManager;
import android.os.Looper;

public class ContextWrapper extends Context {
    protected Context mBase;

    public ContextWrapper(Context base) { mBase = base; }

    protected void attachBaseContext(Context base) { mBase = base; }

    public Context getBaseContext() { return mBase; }

    @Override public Object getSystemService(String name) { return mBase.getSystemService(name); }

    @Override public SharedPreferences getSharedPreferences(String name, int mode) { return mBase.getSharedPreferences(name, mode); }

    @Override public ContentResolver getContentResolver() { return mBase.getContentResolver(); }

    @Override public PackageManager getPackageManager() { return mBase.getPackageManager(); }

    @Override public String getPackageName() { return mBase.getPackageName(); }

    @Override public ComponentName startService(Intent service) { return mBase.startService(service); }

    @Override public Context getApplicationContext() { return mBase.getApplicationContext(); }

    @Override public ApplicationInfo getApplicationInfo() { return mBase.getApplicationInfo(); }

    @Override public Looper getMainLooper() { return mBase.getMainLooper(); }

    /*@api*/ @Override public void startActivity(android.content.Intent intent) {
        // delegates to the base context's startActivity, as on Android: one tapped call
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.content.ContextWrapper.startActivity", new Object[] {intent})) {
            mBase.startActivity(intent);
        }
    }

    @Override public int checkSelfPermission(String permission) { return mBase.checkSelfPermission(permission); }

    @Override public java.io.File getFilesDir() { return mBase.getFilesDir(); }

    @Override public java.io.File getCacheDir() { return mBase.getCacheDir(); }

    @Override public java.io.File getExternalFilesDir(String type) { return mBase.getExternalFilesDir(type); }

    // @surface-methods
}
