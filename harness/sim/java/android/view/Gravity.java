package android.view;

public final class Gravity {
    public static final int NO_GRAVITY = 0;
    public static final int CENTER = 17;
    public static final int TOP = 48;
    public static final int BOTTOM = 80;

    private Gravity() {}
}
