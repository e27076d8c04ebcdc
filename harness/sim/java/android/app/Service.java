package android.app;

import android.content.Context;
import android.content.ContextWrapper;
import android.content.Intent;

/** A component without UI, created by the device (AMS) in the process its manifest entry names. */
public abstract class Service extends ContextWrapper {
    public static final int START_NOT_STICKY = 2;
    public static final int START_STICKY = 1;

    public Service() { super(null); }

    final void attach(Context base) { attachBaseContext(base); }

    public void onCreate() {}

    public int onStartCommand(Intent intent, int flags, int startId) { return START_STICKY; }

    public void onDestroy() {}

    public final Application getApplication() { return ActivityThread.currentApplication(); }
}
