package androidx.fragment.app;

import java.util.ArrayList;
import java.util.List;

public class FragmentTransaction {
    private final FragmentManager fm;
    private final List<Fragment> adds = new ArrayList<>();

    FragmentTransaction(FragmentManager fm) { this.fm = fm; }

    public FragmentTransaction add(Fragment f, String tag) { adds.add(f); return this; }

    public void commitNow() { for (Fragment f : adds) fm.attach(f); }

    public int commit() {
        new android.os.Handler(android.os.Looper.getMainLooper()).post(this::commitNow);
        return 0;
    }
}
