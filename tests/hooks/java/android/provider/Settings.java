package android.provider;

import android.content.ContentResolver;

public final class Settings {
    public static final class Secure {
        public static final String ANDROID_ID = "android_id";
        public static String getString(ContentResolver resolver, String name) {
            return "android_id".equals(name) ? "9774d56d682e549c" : null;
        }
    }
}
