package android.widget;

import android.content.Context;
import android.view.View;
import android.view.ViewGroup;

public class LinearLayout extends ViewGroup {
    public static final int HORIZONTAL = 0;
    public static final int VERTICAL = 1;

    private int orientation = VERTICAL;
    private int pad = 24;

    public LinearLayout(Context context) { super(context); }

    public void setOrientation(int o) { orientation = o; invalidate(); }

    public int getOrientation() { return orientation; }

    public void setPadding(int l, int t, int r, int b) { pad = l; invalidate(); }

    public void setGravity(int gravity) {}

    @Override
    protected int measureHeight(int width) {
        int inner = width - 2 * pad;
        int h = 0;
        int n = visibleCount();
        if (orientation == VERTICAL) {
            for (View c : children) if (c.getVisibility() != GONE) h += measureChild(c, inner);
        } else if (n > 0) {
            int cw = inner / n;
            for (View c : children) if (c.getVisibility() != GONE) h = Math.max(h, measureChild(c, cw));
        }
        return h + 2 * pad;
    }

    private int visibleCount() {
        int n = 0;
        for (View c : children) if (c.getVisibility() != GONE) n++;
        return n;
    }

    private static int measureChild(View c, int w) {
        return android.view.ViewAccess.measure(c, w);
    }

    @Override
    protected int layoutChildren(int l, int t, int w) {
        int inner = w - 2 * pad;
        int y = t + pad;
        if (orientation == VERTICAL) {
            for (View c : children) {
                if (c.getVisibility() == GONE) continue;
                y = android.view.ViewAccess.place(c, l + pad, y, inner);
            }
            return y + pad;
        }
        int n = visibleCount();
        int bottom = y;
        int x = l + pad;
        for (View c : children) {
            if (c.getVisibility() == GONE) continue;
            int cw = inner / Math.max(1, n);
            bottom = Math.max(bottom, android.view.ViewAccess.place(c, x, y, cw));
            x += cw;
        }
        return bottom + pad;
    }
}
