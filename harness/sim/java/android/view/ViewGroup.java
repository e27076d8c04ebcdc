package android.view;

import android.content.Context;
import java.util.ArrayList;
import java.util.List;

public abstract class ViewGroup extends View {
    protected final List<View> children = new ArrayList<>();

    public ViewGroup(Context context) { super(context); }

    public void addView(View child) {
        if (child.parent != null) throw new IllegalStateException("The specified child already has a parent.");
        child.parent = this;
        children.add(child);
        invalidate();
    }

    public void removeView(View child) {
        if (children.remove(child)) child.parent = null;
        invalidate();
    }

    public void removeAllViews() {
        for (View c : children) c.parent = null;
        children.clear();
        invalidate();
    }

    public int getChildCount() { return children.size(); }

    public View getChildAt(int i) { return children.get(i); }

    @Override
    <T extends View> T findViewTraversal(int id) {
        T me = super.findViewTraversal(id);
        if (me != null) return me;
        for (View c : children) {
            T f = c.findViewTraversal(id);
            if (f != null) return f;
        }
        return null;
    }

    @Override
    View findByVid(int v) {
        if (vid == v) return this;
        for (View c : children) {
            View f = c.findByVid(v);
            if (f != null) return f;
        }
        return null;
    }

    @Override
    protected void addChildren(List<Object> out, int[] clip) {
        for (View c : children) {
            if (c.getVisibility() != VISIBLE) continue;
            java.util.Map<String, Object> node = c.snapshot(clip, false);
            if (node != null) out.add(node);
        }
    }
}
