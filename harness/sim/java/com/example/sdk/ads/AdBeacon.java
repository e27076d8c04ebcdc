package com.example.sdk.ads;

import android.content.Context;
import android.provider.Settings;
import android.util.Log;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Fictional ad SDK's impression beacon: reads ANDROID_ID and sends it to the vendor's collector
 * (the simulator's android.sim.Collector) twice, on paths that bypass java.net.Socket's
 * streams or sit above them: Base64 over an NIO SocketChannel (its bytes leave through the
 * JDK's native writev), and SHA-256 hex in the query of an HttpURLConnection GET to
 * http://track.ads.example/v1/imp (through the collector as an HTTP proxy: the loopback
 * collector never answers, the read times out).
 */
public final class AdBeacon {
    private static final String TAG = "ExampleAdBeacon";

    private AdBeacon() {}

    /** Sends the beacons on a background thread, as SDKs do. */
    public static void start(Context ctx) {
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        Thread t = new Thread(() -> {
            String aid = Settings.Secure.getString(app.getContentResolver(), Settings.Secure.ANDROID_ID);
            if (aid == null) return;
            try {
                channel(aid);
            } catch (IOException e) {
                Log.w(TAG, "channel beacon failed: " + e);
            }
            try {
                impression(aid);
            } catch (IOException | NoSuchAlgorithmException e) {
                Log.w(TAG, "impression failed: " + e);
            }
        }, "ad-beacon");
        t.setDaemon(true);
        t.start();
    }

    /** A gathering write (header and body buffers: the JDK's native writev). */
    static void channel(String aid) throws IOException {
        String body = "aid=" + Base64.getEncoder().encodeToString(aid.getBytes(StandardCharsets.UTF_8))
            + " slot=splash\n";
        try (SocketChannel ch = SocketChannel.open(android.sim.Collector.plain())) {
            ByteBuffer[] bufs = {
                ByteBuffer.wrap("BCN/1 ".getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)),
            };
            while (bufs[1].hasRemaining()) ch.write(bufs);
        }
    }

    static void impression(String aid) throws IOException, NoSuchAlgorithmException {
        URL url = new URL("http://track.ads.example/v1/imp?aid=" + hex("SHA-256", aid) + "&slot=splash");
        HttpURLConnection c = (HttpURLConnection) url.openConnection(
            new Proxy(Proxy.Type.HTTP, android.sim.Collector.plain()));
        c.setConnectTimeout(10_000);
        c.setReadTimeout(1_500);
        c.setRequestProperty("X-Ad-Sdk", "4.0.2");
        try {
            c.getResponseCode();
        } catch (IOException e) {
            // the collector reads and never answers
        } finally {
            c.disconnect();
        }
    }

    static String hex(String algorithm, String value) throws NoSuchAlgorithmException {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8))) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
