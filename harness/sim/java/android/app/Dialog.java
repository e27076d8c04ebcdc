package android.app;

import android.content.Context;
import android.content.DialogInterface;
import android.view.View;
import android.view.WindowManagerGlobal;
import android.widget.FrameLayout;

public class Dialog implements DialogInterface {
    private final Context context;
    private final FrameLayout content;
    private CharSequence title;
    private boolean cancelable = true;
    private OnCancelListener onCancel;
    private OnDismissListener onDismiss;
    private WindowManagerGlobal.Win window;

    public Dialog(Context context) {
        this.context = context;
        content = new FrameLayout(context);
    }

    public Context getContext() { return context; }

    Activity ownerActivity() { return context instanceof Activity ? (Activity) context : null; }

    public void setContentView(View view) {
        content.removeAllViews();
        content.addView(view);
    }

    public <T extends View> T findViewById(int id) { return content.findViewById(id); }

    public void setTitle(CharSequence t) {
        title = t;
        if (window != null) {
            window.title = String.valueOf(t);
            WindowManagerGlobal.get().invalidate();
        }
    }

    public void setCancelable(boolean c) { cancelable = c; }

    public void setCanceledOnTouchOutside(boolean c) {}

    public void setOnCancelListener(OnCancelListener l) { onCancel = l; }

    public void setOnDismissListener(OnDismissListener l) { onDismiss = l; }

    public boolean isShowing() { return window != null; }

    public void show() {
        if (window != null) return;
        window = WindowManagerGlobal.get().addWindow("dialog", this, title == null ? "" : title.toString(), content, ownerActivity());
    }

    @Override
    public void dismiss() {
        if (window == null) return;
        WindowManagerGlobal.get().removeWindow(window);
        window = null;
        if (onDismiss != null) onDismiss.onDismiss(this);
    }

    @Override
    public void cancel() {
        if (onCancel != null) onCancel.onCancel(this);
        dismiss();
    }

    public void onBackPressed() {
        if (cancelable) cancel();
    }
}
