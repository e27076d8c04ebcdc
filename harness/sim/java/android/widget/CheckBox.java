package android.widget;

import android.content.Context;

public class CheckBox extends Button {
    private boolean checked;

    public CheckBox(Context context) { super(context); }

    public boolean isChecked() { return checked; }

    public void setChecked(boolean c) { checked = c; invalidate(); }

    @Override
    protected boolean isCheckable() { return true; }

    @Override
    protected boolean isCheckedState() { return checked; }

    @Override
    public boolean performClick() {
        checked = !checked;
        invalidate();
        super.performClick();
        return true;
    }
}
