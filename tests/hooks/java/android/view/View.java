package android.view;

import android.content.res.Resources;

public class View {
    public static final int NO_ID = -1;
    public static final int VISIBLE = 0;
    public static final int GONE = 8;
    public interface OnClickListener { void onClick(View v); }
    static final Resources RESOURCES = new Resources();
    private int id = NO_ID;
    private int visibility = VISIBLE;
    private OnClickListener listener;
    public View() {}
    public void setId(int id) { this.id = id; }
    /** Test helper: an id with its resource name. */
    public void setId(int id, String resName) { this.id = id; RESOURCES.register(id, resName); }
    public int getId() { return id; }
    public Resources getResources() { return RESOURCES; }
    public int getVisibility() { return visibility; }
    public void setVisibility(int v) { visibility = v; }
    public void setOnClickListener(OnClickListener l) { this.listener = l; }
    public boolean performClick() {
        if (listener != null) { listener.onClick(this); return true; }
        return false;
    }
}
