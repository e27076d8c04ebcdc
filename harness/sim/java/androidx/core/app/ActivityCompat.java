package androidx.core.app;

public class ActivityCompat {
    protected ActivityCompat() {}

    public static boolean shouldShowRequestPermissionRationale(android.app.Activity activity, String permission) { return false; }

    public static int checkSelfPermission(android.content.Context context, String permission) { return context.checkSelfPermission(permission); }

    /*@api*/ public static void requestPermissions(android.app.Activity activity, java.lang.String[] permissions, int requestCode) {
        android.sim.Sensitive.call("androidx.core.app.ActivityCompat.requestPermissions", void.class, null, new Object[] {activity, permissions, requestCode});
    }

    // @surface-methods
}
