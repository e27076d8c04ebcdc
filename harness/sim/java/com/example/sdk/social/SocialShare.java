package com.example.sdk.social;

import android.accounts.AccountManager;
import android.content.ClipData;
import android.content.ClipboardManager;
import android.content.Context;
import android.database.Cursor;
import android.provider.ContactsContract;
import android.util.Log;
import java.util.Map;

/** Fictional social/share SDK: "find friends" from contacts, share-code from the clipboard, accounts. */
public final class SocialShare {
    private static final String TAG = "ExampleSocial";
    private static volatile boolean stopped;

    private SocialShare() {}

    public static synchronized void init(Context ctx, Map<String, String> opts) {
        stopped = false;
        Context app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        readClipboard(app);
        findFriends(app);
    }

    public static void stop() { stopped = true; }

    static void readClipboard(Context ctx) {
        ClipboardManager cm = (ClipboardManager) ctx.getSystemService(Context.CLIPBOARD_SERVICE);
        ClipData clip = cm.getPrimaryClip();
        if (clip != null && clip.getItemCount() > 0) Log.d(TAG, "share code check: " + clip.getItemAt(0).getText().length() + " chars");
    }

    static void findFriends(Context ctx) {
        if (stopped) return;
        try {
            Cursor c = ctx.getContentResolver().query(ContactsContract.CommonDataKinds.Phone.CONTENT_URI, null, null, null, null);
            Log.d(TAG, "contacts " + (c == null ? 0 : c.getCount()));
            if (c != null) c.close();
        } catch (SecurityException e) {
            Log.w(TAG, "contacts denied");
        }
        try {
            Log.d(TAG, "accounts " + AccountManager.get(ctx).getAccounts().length);
        } catch (SecurityException e) {
            Log.w(TAG, "accounts denied");
        }
    }
}
