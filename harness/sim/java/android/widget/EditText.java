package android.widget;

import android.content.Context;

/**
 * An editable text field. Like Android's Editor it asks the clipboard, by itself, whether there
 * is something to paste when the field gains focus (TextView.canPaste() ->
 * ClipboardManager.hasPrimaryClip(), for the insertion handle's paste action). It asks from a
 * runnable posted to the UI thread, as Editor does, so no app frame is on the stack: a framework
 * self-call, tapped with "framework": true.
 */
public class EditText extends TextView {
    /** The field that has the input focus (where `input text` goes), if any. */
    private static volatile EditText current;
    private boolean focused;

    public EditText(Context context) {
        super(context);
        setClickable(true);
    }

    public boolean isFocused() { return focused; }

    /** Gives the field the input focus (a layout's &lt;requestFocus/&gt;, a tap in touch mode). */
    public boolean requestFocus() {
        if (!focused) {
            EditText before = current;
            if (before != null && before != this) before.clearFocus();
            focused = true;
            current = this;
            post(this::onFocusGained);
        }
        return true;
    }

    public void clearFocus() {
        focused = false;
        if (current == this) current = null;
    }

    /** The focused field, for typed text (the IME's commitText). */
    public static EditText focusedEditor() { return current; }

    /** Typed text lands at the end of the field, on the UI thread. */
    public void commitText(String typed) {
        post(() -> setText(String.valueOf(getText()) + typed));
    }

    /** A tap focuses the field first (touch mode), then runs the click listener if any. */
    @Override
    public boolean performClick() {
        requestFocus();
        super.performClick();
        return true;
    }

    private void onFocusGained() {
        if (focused) canPaste();
    }

    /** TextView.canPaste(): editable, and the clipboard holds something. */
    boolean canPaste() {
        Object cm = getContext().getSystemService(Context.CLIPBOARD_SERVICE);
        if (!(cm instanceof android.content.ClipboardManager)) return false;
        android.content.ClipboardManager clipboard = (android.content.ClipboardManager) cm;
        return android.sim.Sensitive.framework(clipboard::hasPrimaryClip);
    }

    @Override
    protected int measureHeight(int width) { return Math.max(132, super.measureHeight(width)); }
}
