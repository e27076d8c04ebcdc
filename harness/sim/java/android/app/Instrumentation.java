package android.app;

import android.os.Bundle;

/** The lifecycle entry points Android routes through (and that UI-marker hooks may watch). */
public class Instrumentation {
    public Instrumentation() {}

    public void callApplicationOnCreate(Application app) { app.onCreate(); }

    public void callActivityOnCreate(Activity activity, Bundle icicle) { activity.performCreate(icicle); }

    public void callActivityOnStart(Activity activity) { activity.onStart(); }

    public void callActivityOnResume(Activity activity) {
        activity.resumed = true;
        activity.onResume();
    }

    public void callActivityOnPause(Activity activity) {
        activity.resumed = false;
        activity.onPause();
    }

    public void callActivityOnStop(Activity activity) { activity.onStop(); }

    public void callActivityOnDestroy(Activity activity) { activity.onDestroy(); }
}
