package android.widget;

import android.view.View;

public class PopupWindow {
    private final View content;
    public PopupWindow(View content) { this.content = content; }
    public View getContentView() { return content; }
    public void showAtLocation(View parent, int gravity, int x, int y) {}
    public void showAsDropDown(View anchor) {}
}
