package com.example.sdk.push;

import android.content.Context;
import android.provider.Settings;
import android.util.Log;
import java.io.IOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Fictional push SDK's device registration over OkHttp (the simulator's okhttp3 stand-in):
 * POST http://api.push.example/v2/register with the MD5 of ANDROID_ID in a header, through the
 * simulator's loopback collector as an HTTP proxy (it never answers; the read times out).
 */
public final class PushRegistrar {
    private static final String TAG = "ExamplePushRegistrar";

    private PushRegistrar() {}

    public static void register(Context ctx) {
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        Thread t = new Thread(() -> {
            String aid = Settings.Secure.getString(app.getContentResolver(), Settings.Secure.ANDROID_ID);
            if (aid == null) return;
            try {
                OkHttpClient client = new OkHttpClient.Builder()
                    .proxy(new Proxy(Proxy.Type.HTTP, android.sim.Collector.plain()))
                    .readTimeout(1_500, TimeUnit.MILLISECONDS)
                    .build();
                Request request = new Request.Builder()
                    .url("http://api.push.example/v2/register")
                    .header("X-Device-Token", md5(aid))
                    .post(RequestBody.create(MediaType.parse("application/json; charset=utf-8"),
                        "{\"platform\":\"android\",\"sdk\":\"2.1.0\"}"))
                    .build();
                client.newCall(request).execute().close();
            } catch (IOException | NoSuchAlgorithmException e) {
                Log.w(TAG, "register failed: " + e);
            }
        }, "push-register");
        t.setDaemon(true);
        t.start();
    }

    static String md5(String value) throws NoSuchAlgorithmException {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8))) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
