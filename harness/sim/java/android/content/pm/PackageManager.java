package android.content.pm;

/** Abstract as on Android; the concrete (hookable) class is android.app.ApplicationPackageManager. */
public abstract class PackageManager {
    public static final int PERMISSION_GRANTED = 0;
    public static final int PERMISSION_DENIED = -1;
    public static final int GET_META_DATA = 0x80;
    public static final int GET_ACTIVITIES = 1;
    public static final int MATCH_ALL = 0x20000;

    public static class NameNotFoundException extends Exception {
        public NameNotFoundException() {}

        public NameNotFoundException(String name) { super(name); }
    }

    /** Flags of the API 33 overloads (a long wrapped in a type, as on Android). */
    public static final class PackageInfoFlags {
        private final long value;

        private PackageInfoFlags(long value) { this.value = value; }

        public static PackageInfoFlags of(long value) { return new PackageInfoFlags(value); }

        public long getValue() { return value; }
    }

    public static final class ApplicationInfoFlags {
        private final long value;

        private ApplicationInfoFlags(long value) { this.value = value; }

        public static ApplicationInfoFlags of(long value) { return new ApplicationInfoFlags(value); }

        public long getValue() { return value; }
    }

    public abstract int checkPermission(String permName, String pkgName);

    public abstract PackageInstaller getPackageInstaller();

    public abstract java.util.List getInstalledPackages(int flags);

    public abstract java.util.List getInstalledApplications(int flags);

    public abstract PackageInfo getPackageInfo(String packageName, int flags) throws NameNotFoundException;

    public abstract java.util.List queryIntentActivities(android.content.Intent intent, int flags);
}
