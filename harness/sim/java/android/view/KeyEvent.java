package android.view;

public class KeyEvent {
    public static final int KEYCODE_BACK = 4;

    public KeyEvent() {}
}
