package ${pkg};

/** Generated: a headless fragment that asks for runtime permissions. */
public class PermissionFragment extends androidx.fragment.app.Fragment {
    PermissionFragment attachTo(androidx.fragment.app.FragmentActivity a) {
        a.getSupportFragmentManager().beginTransaction().add(this, "perm").commitNow();
        return this;
    }

    @Override
    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {
        android.util.Log.i("PermissionFragment", "result " + requestCode + " " + grantResults.length);
    }
}
