package androidx.core.content;

public class ContextCompat {
    protected ContextCompat() {}

    public static int checkSelfPermission(android.content.Context context, String permission) { return context.checkSelfPermission(permission); }

    // @surface-methods
}
