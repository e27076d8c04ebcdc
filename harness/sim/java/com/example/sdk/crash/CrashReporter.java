package com.example.sdk.crash;

import android.app.ActivityManager;
import android.content.Context;
import android.os.Build;
import android.util.Log;
import java.util.List;
import java.util.Map;

/** Fictional crash-reporting SDK: device model, serial and running processes, collected at install. */
public final class CrashReporter {
    private static final String TAG = "ExampleCrash";

    private CrashReporter() {}

    public static synchronized void install(Context ctx, Map<String, String> opts) {
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            Log.e(TAG, "crash on " + t.getName() + " model=" + Build.MODEL);
            if (previous != null) previous.uncaughtException(t, e);
        });
        String serial;
        try {
            serial = Build.getSerial();
        } catch (SecurityException e) {
            serial = "unknown";
        }
        ActivityManager am = (ActivityManager) app.getSystemService(Context.ACTIVITY_SERVICE);
        List<?> procs = am.getRunningAppProcesses();
        Log.i(TAG, "installed: " + Build.MANUFACTURER + " " + Build.MODEL + " sdk=" + Build.VERSION.SDK_INT
            + " serial=" + (serial.equals("unknown") ? "n/a" : "set") + " procs=" + procs.size());
    }

    public static void stop() {}
}
