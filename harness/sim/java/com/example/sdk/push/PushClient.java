package com.example.sdk.push;

import android.content.Context;
import android.os.Build;
import android.provider.Settings;
import android.telephony.TelephonyManager;
import android.util.Log;
import java.util.Map;

/** Fictional push SDK: registers the device (device id, ANDROID_ID, serial) from "push-worker", then heartbeats. */
public final class PushClient {
    private static final String TAG = "ExamplePush";
    private static volatile boolean stopped;
    private static Thread worker;

    private PushClient() {}

    /** Options: delay_ms (before registering), period_ms (heartbeat; 0 = none). */
    public static synchronized void register(Context ctx, Map<String, String> opts) {
        stopped = false;
        long delay = Long.parseLong(opts.getOrDefault("delay_ms", "0"));
        long period = Long.parseLong(opts.getOrDefault("period_ms", "0"));
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        worker = new Thread(() -> {
            sleep(delay);
            if (stopped) return;
            registerDevice(app);
            while (period > 0 && !stopped) {
                sleep(period);
                if (!stopped) heartbeat(app);
            }
        }, "push-worker");
        worker.setDaemon(true);
        worker.start();
    }

    public static synchronized void stop() { stopped = true; }

    private static void sleep(long ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void registerDevice(Context ctx) {
        String token;
        try {
            TelephonyManager tm = (TelephonyManager) ctx.getSystemService(Context.TELEPHONY_SERVICE);
            token = tm.getDeviceId();
        } catch (SecurityException e) {
            token = Settings.Secure.getString(ctx.getContentResolver(), Settings.Secure.ANDROID_ID);
        }
        String serial;
        try {
            serial = Build.getSerial();
        } catch (SecurityException e) {
            serial = Build.SERIAL;
        }
        Log.i(TAG, "registered token=" + Integer.toHexString((token + serial).hashCode()));
    }

    static void heartbeat(Context ctx) {
        String id = Settings.Secure.getString(ctx.getContentResolver(), Settings.Secure.ANDROID_ID);
        Log.d(TAG, "heartbeat " + Integer.toHexString(id.hashCode()));
    }
}
