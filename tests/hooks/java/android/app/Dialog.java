package android.app;

import android.view.View;
import android.view.Window;

public class Dialog {
    private final Window window = new Window();
    private boolean showing;
    public void setContentView(View v) { window.setContentView(v); }
    public Window getWindow() { return window; }
    public void show() { showing = true; }
    public void dismiss() { showing = false; }
    public boolean isShowing() { return showing; }
}
