package android.widget;

import android.content.Context;

public class EditText extends TextView {
    public EditText(Context context) {
        super(context);
        setClickable(true);
    }

    @Override
    protected int measureHeight(int width) { return Math.max(132, super.measureHeight(width)); }
}
