package com.example.sdk;

import android.content.ContentResolver;
import android.net.Uri;
import android.telephony.TelephonyManager;

/** A fictional third-party SDK: its frames must show up in the stacks. */
public final class Tracker {
    private Tracker() {}

    public static String collect(TelephonyManager tm) {
        return tm.getImei(0);
    }

    public static int readContacts(ContentResolver cr) {
        return cr.query(Uri.parse("content://com.android.contacts/contacts"), null, null, null, null).getCount();
    }
}
