package com.example.sdk.maps;

import android.content.Context;
import android.location.Location;
import android.location.LocationListener;
import android.location.LocationManager;
import android.net.wifi.WifiManager;
import android.os.Handler;
import android.os.HandlerThread;
import android.telephony.TelephonyManager;
import android.util.Log;
import java.util.Map;

/** Fictional maps SDK: last known location, location updates, Wi-Fi scan and cell info on "maps-locator". */
public final class MapsLocator {
    private static final String TAG = "ExampleMaps";
    private static HandlerThread thread;
    private static LocationListener listener;
    private static LocationManager manager;
    private static volatile boolean stopped;

    private MapsLocator() {}

    /** Options: delay_ms, period_ms (location updates interval; 0 = one fix). */
    public static synchronized void start(Context ctx, Map<String, String> opts) {
        stopped = false;
        long delay = Long.parseLong(opts.getOrDefault("delay_ms", "0"));
        long period = Long.parseLong(opts.getOrDefault("period_ms", "0"));
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        if (thread == null) {
            thread = new HandlerThread("maps-locator");
            thread.start();
        }
        new Handler(thread.getLooper()).postDelayed(() -> locate(app, period), delay);
    }

    public static synchronized void stop() {
        stopped = true;
        if (listener != null && manager != null) manager.removeUpdates(listener);
        listener = null;
    }

    static void locate(Context ctx, long period) {
        if (stopped) return;
        LocationManager lm = (LocationManager) ctx.getSystemService(Context.LOCATION_SERVICE);
        try {
            Location last = lm.getLastKnownLocation(LocationManager.GPS_PROVIDER);
            Log.d(TAG, "last fix " + (last == null ? "none" : "ok"));
        } catch (SecurityException e) {
            Log.w(TAG, "no location permission");
        }
        WifiManager wm = (WifiManager) ctx.getSystemService(Context.WIFI_SERVICE);
        try {
            wm.startScan();
            Log.d(TAG, "wifi aps " + wm.getScanResults().size());
        } catch (SecurityException e) {
            Log.w(TAG, "wifi scan denied");
        }
        try {
            TelephonyManager tm = (TelephonyManager) ctx.getSystemService(Context.TELEPHONY_SERVICE);
            Log.d(TAG, "cells " + tm.getAllCellInfo().size());
        } catch (SecurityException e) {
            Log.w(TAG, "cell info denied");
        }
        if (period > 0) {
            LocationListener l = loc -> {
                if (!stopped) Log.d(TAG, "update " + loc.getProvider());
            };
            try {
                lm.requestLocationUpdates(LocationManager.NETWORK_PROVIDER, period, 10f, l);
                listener = l;
                manager = lm;
            } catch (SecurityException e) {
                Log.w(TAG, "updates denied");
            }
        }
    }
}
