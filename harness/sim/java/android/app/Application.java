package android.app;

import android.content.Context;
import android.content.ContextWrapper;

public class Application extends ContextWrapper {
    public Application() { super(null); }

    final void attach(Context base) { attachBaseContext(base); }

    public void onCreate() {}

    @Override public Context getApplicationContext() { return this; }
}
