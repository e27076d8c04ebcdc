package android.view;

public class Window {
    private final ViewGroup decor = new ViewGroup();
    public View getDecorView() { return decor; }
    public void setContentView(View v) { decor.addView(v); }
}
