package android.app;

public class Activity {
    protected void onCreate() {}
    protected void onResume() {}
    public final void requestPermissions(String[] permissions, int requestCode) {}
    /** What the (stub) framework calls. */
    public final void performResume() { onResume(); }
}
