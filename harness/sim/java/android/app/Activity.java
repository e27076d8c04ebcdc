package android.app;

import android.content.Intent;
import android.os.Bundle;
import android.view.ContextThemeWrapper;
import android.view.View;
import android.view.WindowManagerGlobal;
import android.widget.FrameLayout;

public class Activity extends ContextThemeWrapper {
    public static final int RESULT_OK = -1;
    public static final int RESULT_CANCELED = 0;

    private Intent intent;
    private FrameLayout decor;
    private CharSequence title;
    WindowManagerGlobal.Win window;
    boolean resumed;
    boolean finishing;
    boolean destroyed;

    public Activity() {}

    final void attach(android.content.Context base, Intent intent) {
        attachBaseContext(base);
        this.intent = intent;
        decor = new FrameLayout(this);
    }

    final void performCreate(Bundle icicle) { onCreate(icicle); }

    protected void onCreate(Bundle savedInstanceState) {}

    protected void onStart() {}

    protected void onResume() {}

    protected void onPause() {}

    protected void onStop() {}

    protected void onDestroy() {}

    public Intent getIntent() { return intent; }

    public void setTitle(CharSequence t) {
        title = t;
        if (window != null) {
            window.title = windowTitle();
            WindowManagerGlobal.get().invalidate();
        }
    }

    String windowTitle() { return getPackageName() + "/" + getClass().getName(); }

    public CharSequence getTitle() { return title; }

    public void setContentView(View view) {
        decor.removeAllViews();
        decor.addView(view);
    }

    public <T extends View> T findViewById(int id) { return decor.findViewById(id); }

    View decor() { return decor; }

    public void runOnUiThread(Runnable r) {
        if (android.os.Looper.getMainLooper().isCurrentThread()) r.run();
        else new android.os.Handler(android.os.Looper.getMainLooper()).post(r);
    }

    public boolean isFinishing() { return finishing; }

    public boolean isDestroyed() { return destroyed; }

    public void finish() { ActivityThread.finishActivity(this); }

    public void onBackPressed() { finish(); }

    /*@api*/ @Override public void startActivity(android.content.Intent intent) {
        android.sim.Sensitive.guard("android.app.Activity.startActivity", new Object[] {intent});
        ActivityThread.startActivity(intent);
    }

    /** Like Android: the system prompt comes from the device; the answer arrives on the main thread. */
    /*@api*/ public void requestPermissions(java.lang.String[] permissions, int requestCode) {
        android.sim.Sensitive.call("android.app.Activity.requestPermissions", void.class, this, new Object[] {permissions, requestCode});
    }

    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {}

    public boolean shouldShowRequestPermissionRationale(String permission) { return false; }

    // @surface-methods
}
