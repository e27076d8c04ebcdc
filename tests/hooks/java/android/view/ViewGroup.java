package android.view;

import java.util.ArrayList;
import java.util.List;

public class ViewGroup extends View {
    private final List<View> children = new ArrayList<>();
    public void addView(View v) { children.add(v); }
    public int getChildCount() { return children.size(); }
    public View getChildAt(int i) { return children.get(i); }
}
