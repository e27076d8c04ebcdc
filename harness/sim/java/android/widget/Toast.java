package android.widget;

import android.content.Context;

/** Toasts are not windows the harness reads; they show up in logcat. */
public class Toast {
    public static final int LENGTH_SHORT = 0;
    public static final int LENGTH_LONG = 1;
    private final CharSequence text;

    private Toast(CharSequence text) { this.text = text; }

    public static Toast makeText(Context ctx, CharSequence text, int duration) { return new Toast(text); }

    public void show() { android.util.Log.i("Toast", String.valueOf(text)); }
}
