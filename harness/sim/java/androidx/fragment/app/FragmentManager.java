package androidx.fragment.app;

import java.util.ArrayList;
import java.util.List;

public class FragmentManager {
    private final FragmentActivity host;
    final List<Fragment> fragments = new ArrayList<>();

    FragmentManager(FragmentActivity host) { this.host = host; }

    public FragmentTransaction beginTransaction() { return new FragmentTransaction(this); }

    void attach(Fragment f) {
        f.host = host;
        fragments.add(f);
        f.onAttach(host);
        f.onCreate(null);
    }
}
