package android.provider;

import android.net.Uri;

public class CallLog {
    public static final String AUTHORITY = "call_log";

    public CallLog() {}

    public static class Calls {
        public static final Uri CONTENT_URI = Uri.parse("content://call_log/calls");
        public static final String NUMBER = "number";

        public Calls() {}
    }
}
