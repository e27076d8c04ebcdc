package android.widget;

import android.content.Context;
import android.view.View;
import android.view.ViewGroup;

public class FrameLayout extends ViewGroup {
    public FrameLayout(Context context) { super(context); }

    @Override
    protected int measureHeight(int width) {
        int h = 0;
        for (View c : children) if (c.getVisibility() != GONE) h = Math.max(h, android.view.ViewAccess.measure(c, width));
        return h;
    }

    @Override
    protected int layoutChildren(int l, int t, int w) {
        int b = t;
        for (View c : children) if (c.getVisibility() != GONE) b = Math.max(b, android.view.ViewAccess.place(c, l, t, w));
        return b;
    }
}
