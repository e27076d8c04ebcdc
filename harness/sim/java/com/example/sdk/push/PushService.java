package com.example.sdk.push;

import android.app.Service;
import android.content.Intent;
import java.util.HashMap;
import java.util.Map;

/**
 * Fictional push SDK's service, declared in the app's manifest with android:process=":push" (as
 * push SDKs do, to keep their long connection away from the app's UI process). Once the app
 * starts it, it registers the device from the push process, whatever the user decided in the app.
 */
public class PushService extends Service {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        Map<String, String> opts = new HashMap<>();
        for (String k : new String[] {"delay_ms", "period_ms"}) {
            String v = intent == null ? null : intent.getStringExtra(k);
            if (v != null) opts.put(k, v);
        }
        PushClient.register(this, opts);
        return START_STICKY;
    }
}
