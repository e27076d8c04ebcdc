package androidx.fragment.app;

public class FragmentActivity extends android.app.Activity {
    private final FragmentManager fm = new FragmentManager(this);

    public FragmentActivity() {}

    public FragmentManager getSupportFragmentManager() { return fm; }
}
