package android.view;

/** Lets the widget package run the sim's measure/layout pass (package-private on View). */
public final class ViewAccess {
    private ViewAccess() {}

    public static int measure(View v, int width) { return v.measureHeight(width); }

    public static int place(View v, int l, int t, int w) { return v.layout(l, t, w); }
}
