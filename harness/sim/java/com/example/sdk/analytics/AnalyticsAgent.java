package com.example.sdk.analytics;

import android.content.Context;
import android.net.wifi.WifiManager;
import android.provider.Settings;
import android.telephony.TelephonyManager;
import android.util.Log;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/** Fictional analytics SDK: device fingerprint (ANDROID_ID, IMEI, MAC) and the installed-app list. */
public final class AnalyticsAgent {
    private static final String TAG = "ExampleAnalytics";
    private static volatile boolean stopped;
    private static Timer timer;

    private AnalyticsAgent() {}

    /** Options: delay_ms, period_ms (0 = once). Collects on the calling thread first when delay is 0. */
    public static synchronized void init(Context ctx, Map<String, String> opts) {
        stopped = false;
        long delay = Long.parseLong(opts.getOrDefault("delay_ms", "0"));
        long period = Long.parseLong(opts.getOrDefault("period_ms", "0"));
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        Log.i(TAG, "init v3.2.1");
        if (delay == 0) collect(app);
        if (delay > 0 || period > 0) {
            timer = new Timer("analytics-timer", true);
            TimerTask task = new TimerTask() {
                @Override public void run() {
                    if (!stopped) collect(app);
                }
            };
            if (period > 0) timer.schedule(task, delay > 0 ? delay : period, period);
            else timer.schedule(task, delay);
        }
    }

    public static synchronized void stop() {
        stopped = true;
        if (timer != null) timer.cancel();
        timer = null;
    }

    static void collect(Context ctx) {
        StringBuilder fp = new StringBuilder();
        fp.append(Settings.Secure.getString(ctx.getContentResolver(), Settings.Secure.ANDROID_ID));
        try {
            TelephonyManager tm = (TelephonyManager) ctx.getSystemService(Context.TELEPHONY_SERVICE);
            fp.append('|').append(tm.getImei());
        } catch (SecurityException e) {
            fp.append("|no-imei");
        }
        WifiManager wm = (WifiManager) ctx.getSystemService(Context.WIFI_SERVICE);
        fp.append('|').append(wm.getConnectionInfo().getMacAddress());
        List<?> apps = ctx.getPackageManager().getInstalledPackages(0);
        Log.d(TAG, "session fingerprint " + Integer.toHexString(fp.toString().hashCode()) + " apps=" + apps.size());
    }
}
