package android.view;

import android.content.Context;
import android.sim.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A view with bounds computed by the sim's layout pass; clicks arrive by view id from the device. */
public class View {
    public static final int VISIBLE = 0;
    public static final int INVISIBLE = 4;
    public static final int GONE = 8;
    public static final int NO_ID = -1;

    private static final AtomicInteger NEXT_VID = new AtomicInteger(1);

    public interface OnClickListener {
        void onClick(View v);
    }

    protected final Context mContext;
    final int vid = NEXT_VID.getAndIncrement();
    private int id = NO_ID;
    private int visibility = VISIBLE;
    private boolean clickable;
    private boolean enabled = true;
    private CharSequence contentDescription;
    private OnClickListener onClick;
    private Object tag;
    ViewGroup parent;
    int left, top, right, bottom;

    public View(Context context) { mContext = context; }

    public Context getContext() { return mContext; }

    public int getId() { return id; }

    public void setId(int id) { this.id = id; invalidate(); }

    public int getVisibility() { return visibility; }

    public void setVisibility(int v) { visibility = v; invalidate(); }

    public boolean isClickable() { return clickable; }

    public void setClickable(boolean c) { clickable = c; invalidate(); }

    public boolean isEnabled() { return enabled; }

    public void setEnabled(boolean e) { enabled = e; invalidate(); }

    public void setContentDescription(CharSequence d) { contentDescription = d; invalidate(); }

    public CharSequence getContentDescription() { return contentDescription; }

    public void setTag(Object t) { tag = t; }

    public Object getTag() { return tag; }

    public ViewGroup getParent() { return parent; }

    public void setOnClickListener(OnClickListener l) {
        onClick = l;
        if (l != null) clickable = true;
        invalidate();
    }

    public boolean hasOnClickListeners() { return onClick != null; }

    /** Android's click path: the device's tap becomes performClick() on the main thread. */
    public boolean performClick() {
        if (onClick == null || !enabled) return false;
        onClick.onClick(this);
        return true;
    }

    public <T extends View> T findViewById(int id) { return findViewTraversal(id); }

    @SuppressWarnings("unchecked")
    <T extends View> T findViewTraversal(int id) { return this.id == id && id != NO_ID ? (T) this : null; }

    View findByVid(int v) { return vid == v ? this : null; }

    public int getLeft() { return left; }

    public int getTop() { return top; }

    public int getWidth() { return right - left; }

    public int getHeight() { return bottom - top; }

    protected void invalidate() { WindowManagerGlobal.get().invalidate(); }

    public void post(Runnable r) { new android.os.Handler(android.os.Looper.getMainLooper()).post(r); }

    /** Height this view wants for a given width (the sim's whole measure pass). */
    protected int measureHeight(int width) { return 0; }

    /** Places the view at (l, t) with width w; returns the bottom. */
    int layout(int l, int t, int w) {
        left = l;
        top = t;
        right = l + w;
        bottom = t + fitHeight(t, measureHeight(w));
        layoutChildren(l, t, w);
        return bottom;
    }

    /**
     * The height the view takes when placed at {@code t}, from the one it measured. Views are as
     * tall as their content; a scrolling container stops at the screen's bottom instead (its
     * content scrolls inside it), as a match_parent ScrollView does on Android.
     */
    protected int fitHeight(int t, int measured) { return measured; }

    /** ViewGroups place their children here; returns the bottom edge of the content. */
    protected int layoutChildren(int l, int t, int w) { return t; }

    protected String text() { return ""; }

    /** The framework class uiautomator reports (the first android.* class up the hierarchy). */
    String frameworkClassName() {
        Class<?> c = getClass();
        while (c != null && !c.getName().startsWith("android.")) c = c.getSuperclass();
        return c == null ? View.class.getName() : c.getName();
    }

    /** Adds the snapshots of the visible children; {@code clip} is this view's visible rect. */
    protected void addChildren(List<Object> out, int[] clip) {}

    /** Whether uiautomator reports this view as checkable (CompoundButton overrides). */
    protected boolean isCheckable() { return false; }

    /** Whether uiautomator reports this view as scrollable (a ScrollView that can scroll). */
    protected boolean isScrollable() { return false; }

    protected boolean isCheckedState() { return false; }

    /**
     * The node as uiautomator sees it. Its bounds are what is visible on screen: the view's rect
     * cut by {@code clip} (the visible rect of its parent, l/t/r/b — the screen for a root), as
     * View.getBoundsOnScreen(clipToParent) gives accessibility. Null when none of it is visible:
     * uiautomator's dumper skips children that are not isVisibleToUser (scrolled out of a
     * ScrollView, below the screen's edge). A window's root ({@code root}) is always reported.
     */
    Map<String, Object> snapshot(int[] clip, boolean root) {
        int vl = Math.max(left, clip[0]);
        int vt = Math.max(top, clip[1]);
        int vr = Math.min(right, clip[2]);
        int vb = Math.min(bottom, clip[3]);
        if (vl >= vr || vt >= vb) {
            if (!root) return null;
            vr = Math.max(vl, vr);
            vb = Math.max(vt, vb);
        }
        int[] visible = {vl, vt, vr, vb};
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("vid", vid);
        n.put("cls", frameworkClassName());
        n.put("text", text());
        n.put("rid", id == NO_ID ? "" : Ids.name(id));
        n.put("desc", contentDescription == null ? "" : contentDescription.toString());
        List<Object> b = new ArrayList<>();
        for (int edge : visible) b.add(edge);
        n.put("bounds", b);
        n.put("clickable", clickable && enabled);
        if (isCheckable()) {
            n.put("checkable", true);
            n.put("checked", isCheckedState());
        }
        if (isScrollable()) n.put("scrollable", true);
        List<Object> kids = new ArrayList<>();
        addChildren(kids, visible);
        n.put("children", kids);
        return n;
    }
}
