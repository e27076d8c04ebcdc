package android.widget;

import android.content.Context;

public class Button extends TextView {
    public Button(Context context) {
        super(context);
        setClickable(true);
        padding = 36;
    }

    @Override
    protected int measureHeight(int width) { return Math.max(144, super.measureHeight(width)); }
}
