package com.example.sdk.analytics;

import android.content.Context;
import android.net.wifi.WifiManager;
import android.provider.Settings;
import android.telephony.TelephonyManager;
import android.util.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/** Fictional analytics SDK: device fingerprint (ANDROID_ID, IMEI, MAC) and the installed-app list. */
public final class AnalyticsAgent {
    private static final String TAG = "ExampleAnalytics";
    private static volatile boolean stopped;
    private static Timer timer;
    /** Where collect() uploads the fingerprint: none, plain, tls or both (option "send"). */
    private static volatile String send = "none";

    private AnalyticsAgent() {}

    /** Options: delay_ms, period_ms (0 = once). Collects on the calling thread first when delay is 0. */
    public static synchronized void init(Context ctx, Map<String, String> opts) {
        stopped = false;
        long delay = Long.parseLong(opts.getOrDefault("delay_ms", "0"));
        long period = Long.parseLong(opts.getOrDefault("period_ms", "0"));
        send = opts.getOrDefault("send", "none");
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
        String androidId = Settings.Secure.getString(ctx.getContentResolver(), Settings.Secure.ANDROID_ID);
        fp.append(androidId);
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
        String mode = send;
        if (!"none".equals(mode) && androidId != null) upload(mode, androidId, apps.size());
    }

    /** Sends the hashed device id to the vendor's collector (the simulator's android.sim.Collector)
     *  on a background thread, as SDKs do: MD5 over plain TCP, SHA-256 over TLS. */
    static void upload(String mode, String androidId, int apps) {
        Thread t = new Thread(() -> {
            try {
                if ("plain".equals(mode) || "both".equals(mode)) {
                    post(new Socket(), android.sim.Collector.plain(), "did=" + hex("MD5", androidId), apps);
                }
                if ("tls".equals(mode) || "both".equals(mode)) {
                    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
                    tls.init(null, new javax.net.ssl.TrustManager[] {TRUST_ANY}, null);
                    post(tls.getSocketFactory().createSocket(), android.sim.Collector.tls(),
                         "did=" + hex("SHA-256", androidId), apps);
                }
            } catch (IOException | java.security.GeneralSecurityException e) {
                Log.w(TAG, "upload failed: " + e);
            }
        }, "analytics-upload");
        t.setDaemon(true);
        t.start();
    }

    private static void post(Socket s, InetSocketAddress to, String body, int apps) throws IOException {
        String form = body + "&apps=" + apps + "&sdk=3.2.1";
        try (Socket sock = s) {
            sock.connect(to, 10_000);
            OutputStream out = sock.getOutputStream();
            out.write(("POST /v1/collect HTTP/1.1\r\nHost: collect.analytics.example\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(form.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static String hex(String algorithm, String value) throws NoSuchAlgorithmException {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8))) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    /** Trusts any server: the careless kind of SDK (and the collector's key is a test key). */
    private static final javax.net.ssl.X509TrustManager TRUST_ANY = new javax.net.ssl.X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
}
