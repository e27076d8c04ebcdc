package com.example.sdk.pay;

import android.content.ClipboardManager;
import android.content.Context;
import android.telephony.TelephonyManager;
import android.util.Log;
import java.util.Map;

/** Fictional payment SDK: risk control reads the phone number, IMSI and the clipboard text. */
public final class PayKit {
    private static final String TAG = "ExamplePay";

    private PayKit() {}

    public static synchronized void init(Context ctx, Map<String, String> opts) {
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        TelephonyManager tm = (TelephonyManager) app.getSystemService(Context.TELEPHONY_SERVICE);
        String risk = "";
        try {
            risk = tm.getLine1Number() + tm.getSubscriberId();
        } catch (SecurityException e) {
            Log.w(TAG, "phone state denied");
        }
        ClipboardManager cm = (ClipboardManager) app.getSystemService(Context.CLIPBOARD_SERVICE);
        CharSequence text = cm.getText();
        Log.i(TAG, "risk profile " + Integer.toHexString((risk + text).hashCode()));
    }

    public static void stop() {}
}
