package android.widget;

import android.content.Context;
import android.view.View;
import android.view.ViewAccess;
import android.view.ViewGroup;
import android.view.WindowManagerGlobal;

/**
 * A vertical ScrollView: as tall as its content up to the screen's bottom, its content shifted
 * up by the scroll offset. Children scrolled out of the viewport are off screen (uiautomator
 * does not dump them, taps cannot reach them). The device's {@code input swipe} drags it (see
 * ActivityThread): the content follows the finger, clamped to its range; the sim does not fling.
 */
public class ScrollView extends FrameLayout {
    public static final int FOCUS_UP = 33;
    public static final int FOCUS_DOWN = 130;

    private int scrollY;
    private int contentHeight;

    public ScrollView(Context context) { super(context); }

    @Override
    protected int measureHeight(int width) {
        // Wrap the content, but never more than a window can show.
        return Math.min(super.measureHeight(width), WindowManagerGlobal.SCREEN_H - WindowManagerGlobal.STATUS_BAR_H);
    }

    @Override
    protected int fitHeight(int t, int measured) {
        return Math.max(0, Math.min(measured, WindowManagerGlobal.SCREEN_H - t));
    }

    @Override
    protected int layoutChildren(int l, int t, int w) {
        int content = 0;
        for (View c : children) if (c.getVisibility() != GONE) content = Math.max(content, ViewAccess.measure(c, w));
        contentHeight = content;
        scrollY = clamp(scrollY); // content may have shrunk since the last scroll
        for (View c : children) if (c.getVisibility() != GONE) ViewAccess.place(c, l, t - scrollY, w);
        return t + getHeight();
    }

    /** How far the content can scroll: its height beyond the viewport's. */
    private int scrollRange() { return Math.max(0, contentHeight - getHeight()); }

    private int clamp(int y) { return Math.max(0, Math.min(y, scrollRange())); }

    @Override
    protected boolean isScrollable() { return isEnabled() && scrollRange() > 0; }

    public int getScrollY() { return scrollY; }

    public void scrollTo(int x, int y) {
        int to = clamp(y);
        if (to != scrollY) {
            scrollY = to;
            invalidate();
        }
    }

    public void scrollBy(int x, int y) { scrollTo(0, scrollY + y); }

    public void smoothScrollTo(int x, int y) { scrollTo(x, y); }

    public void smoothScrollBy(int x, int y) { scrollBy(x, y); }

    public boolean fullScroll(int direction) {
        int before = scrollY;
        scrollTo(0, direction == FOCUS_UP ? 0 : scrollRange());
        return scrollY != before;
    }

    public boolean canScrollVertically(int direction) {
        return direction < 0 ? scrollY > 0 : scrollY < scrollRange();
    }

    /**
     * The ScrollView that takes a drag starting at (x, y) in {@code root}'s window, or null: the
     * outermost one under the point that can scroll — on Android a ScrollView intercepts a
     * vertical drag (onInterceptTouchEvent) before its children see it, unless it cannot scroll.
     * Only what is visible counts: a view scrolled out of its ScrollView is not under the finger.
     */
    public static ScrollView dragTarget(View root, int x, int y) {
        return dragTarget(root, x, y, 0, 0, WindowManagerGlobal.SCREEN_W, WindowManagerGlobal.SCREEN_H);
    }

    private static ScrollView dragTarget(View v, int x, int y, int cl, int ct, int cr, int cb) {
        if (v.getVisibility() != VISIBLE) return null;
        int l = Math.max(cl, v.getLeft()), t = Math.max(ct, v.getTop());
        int r = Math.min(cr, v.getLeft() + v.getWidth()), b = Math.min(cb, v.getTop() + v.getHeight());
        if (x < l || x >= r || y < t || y >= b) return null;
        if (v instanceof ScrollView && ((ScrollView) v).scrollRange() > 0) return (ScrollView) v;
        if (!(v instanceof ViewGroup)) return null;
        ViewGroup g = (ViewGroup) v;
        for (int i = g.getChildCount() - 1; i >= 0; i--) {  // later children are on top
            ScrollView found = dragTarget(g.getChildAt(i), x, y, l, t, r, b);
            if (found != null) return found;
        }
        return null;
    }
}
