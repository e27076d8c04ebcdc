package android.widget;

import android.view.Gravity;
import android.view.View;
import android.view.WindowManagerGlobal;

public class PopupWindow {
    public static final int MATCH_PARENT = -1;
    public static final int WRAP_CONTENT = -2;

    private View content;
    private int width = MATCH_PARENT;
    private boolean focusable;
    private OnDismissListener onDismiss;
    private WindowManagerGlobal.Win window;

    public interface OnDismissListener {
        void onDismiss();
    }

    public PopupWindow() {}

    public PopupWindow(View contentView, int width, int height) {
        content = contentView;
        this.width = width;
    }

    public PopupWindow(View contentView, int width, int height, boolean focusable) {
        this(contentView, width, height);
        this.focusable = focusable;
    }

    public void setContentView(View v) { content = v; }

    public View getContentView() { return content; }

    public void setFocusable(boolean f) { focusable = f; }

    public void setOutsideTouchable(boolean t) {}

    public void setOnDismissListener(OnDismissListener l) { onDismiss = l; }

    public boolean isShowing() { return window != null; }

    public void showAtLocation(View parent, int gravity, int x, int y) {
        if (window != null) return;
        Object token = content != null && content.getContext() instanceof android.app.Activity ? content.getContext() : null;
        window = WindowManagerGlobal.get().addWindow("popup", this, "PopupWindow:" + Integer.toHexString(System.identityHashCode(this)), content, token);
        window.gravity = gravity;
        window.x = x;
        window.y = y;
        window.width = width;
        // FLAG_NOT_FOCUSABLE unless focusable: such a popup never becomes the active window.
        window.focusable = focusable;
    }

    public void showAsDropDown(View anchor) { showAtLocation(anchor, Gravity.TOP, 0, anchor == null ? 0 : anchor.getTop() + anchor.getHeight()); }

    public void dismiss() {
        if (window == null) return;
        WindowManagerGlobal.get().removeWindow(window);
        window = null;
        if (onDismiss != null) onDismiss.onDismiss();
    }

    /** BACK closes focusable popups only, as on Android. */
    public void onBack() {
        if (focusable) dismiss();
    }
}
