package android.app;

import android.content.Context;
import android.content.ContextWrapper;

public class Application extends ContextWrapper {
    public Application() { super(null); }

    final void attach(Context base) { attachBaseContext(base); }

    public void onCreate() {}

    /** The name of the process this code runs in (API 28): {@code pkg} or {@code pkg:push}… */
    public static String getProcessName() { return ActivityThread.currentProcessName(); }

    @Override public Context getApplicationContext() { return this; }
}
