package com.example.sdk.ads;

import android.content.ContentResolver;
import android.content.Context;
import android.util.Log;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Fictional ads SDK: looks for an advertising-id / OAID provider by REFLECTION (none ships on the
 * sim), falls back to ANDROID_ID and the serial property through reflection, and reads the
 * installed-application list for targeting.
 */
public final class AdsSdk {
    private static final String TAG = "ExampleAds";
    private static volatile boolean stopped;

    private AdsSdk() {}

    public static synchronized void init(Context ctx, Map<String, String> opts) {
        stopped = false;
        long delay = Long.parseLong(opts.getOrDefault("delay_ms", "0"));
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        Thread t = new Thread(() -> {
            try {
                if (delay > 0) Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!stopped) loadIds(app);
        }, "ads-loader");
        t.setDaemon(true);
        t.start();
    }

    public static void stop() { stopped = true; }

    static String advertisingId(Context ctx) {
        String[] providers = {"com.example.oaid.IdProvider", "com.example.adid.AdIdClient"};
        for (String p : providers) {
            try {
                Class<?> c = Class.forName(p);
                Object v = c.getMethod("getId", Context.class).invoke(null, ctx);
                if (v != null) return v.toString();
            } catch (ReflectiveOperationException | LinkageError e) {
                Log.d(TAG, "id provider " + p + " unavailable");
            }
        }
        try {
            Class<?> secure = Class.forName("android.provider.Settings$Secure");
            Method get = secure.getMethod("getString", ContentResolver.class, String.class);
            return (String) get.invoke(null, ctx.getContentResolver(), "android_id");
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static String serialProperty() {
        try {
            Class<?> sp = Class.forName("android.os.SystemProperties");
            return (String) sp.getMethod("get", String.class).invoke(null, "ro.serialno");
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static void loadIds(Context ctx) {
        String id = advertisingId(ctx);
        String serial = serialProperty();
        List<?> apps = ctx.getPackageManager().getInstalledApplications(0);
        Log.i(TAG, "ad request id=" + (id == null ? "none" : "set") + " serial=" + (serial == null ? "none" : "set")
            + " apps=" + apps.size());
    }
}
