package androidx.fragment.app;

/** Enough of androidx Fragment for permission requests from a fragment. */
public class Fragment {
    FragmentActivity host;

    public Fragment() {}

    public void onAttach(android.content.Context context) {}

    public void onCreate(android.os.Bundle savedInstanceState) {}

    public final FragmentActivity getActivity() { return host; }

    public final android.content.Context requireContext() { return host; }

    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {}

    /*@api*/ public void requestPermissions(java.lang.String[] permissions, int requestCode) {
        android.sim.Sensitive.call("androidx.fragment.app.Fragment.requestPermissions", void.class, this, new Object[] {permissions, requestCode});
    }

    // @surface-methods
}
