package android.app;

/** The concrete PackageManager (abstract methods never fire Frida hooks; this one does). */
public class ApplicationPackageManager extends android.content.pm.PackageManager {
    private android.content.pm.PackageInstaller installer;

    public ApplicationPackageManager() {}

    @Override public int checkPermission(String permName, String pkgName) { return android.sim.Perms.isGranted(permName) ? PERMISSION_GRANTED : PERMISSION_DENIED; }

    @Override public synchronized android.content.pm.PackageInstaller getPackageInstaller() {
        if (installer == null) installer = new android.content.pm.PackageInstaller();
        return installer;
    }

    /*
     * API 33: the int overloads wrap their flags and delegate to the *Flags overloads, as
     * Android's do; only the overload the app called is tapped. Before 33 they are the leaves.
     */
    /*@api*/ public java.util.List getInstalledPackages(int flags) {
        if (android.os.Build.VERSION.SDK_INT < 33) {
            return (java.util.List) android.sim.Sensitive.call("android.app.ApplicationPackageManager.getInstalledPackages", java.util.List.class, this, new Object[] {flags});
        }
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.app.ApplicationPackageManager.getInstalledPackages", new Object[] {flags})) {
            return getInstalledPackages(PackageInfoFlags.of(flags));
        }
    }
    /*@api*/ public java.util.List getInstalledPackages(android.content.pm.PackageManager.PackageInfoFlags flags) {
        return (java.util.List) android.sim.Sensitive.call("android.app.ApplicationPackageManager.getInstalledPackages", java.util.List.class, this, new Object[] {flags});
    }
    /*@api*/ public java.util.List getInstalledApplications(int flags) {
        if (android.os.Build.VERSION.SDK_INT < 33) {
            return (java.util.List) android.sim.Sensitive.call("android.app.ApplicationPackageManager.getInstalledApplications", java.util.List.class, this, new Object[] {flags});
        }
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.app.ApplicationPackageManager.getInstalledApplications", new Object[] {flags})) {
            return getInstalledApplications(ApplicationInfoFlags.of(flags));
        }
    }
    /*@api*/ public java.util.List getInstalledApplications(android.content.pm.PackageManager.ApplicationInfoFlags flags) {
        return (java.util.List) android.sim.Sensitive.call("android.app.ApplicationPackageManager.getInstalledApplications", java.util.List.class, this, new Object[] {flags});
    }
    /*@api*/ public android.content.pm.PackageInfo getPackageInfo(java.lang.String packageName, int flags) throws android.content.pm.PackageManager.NameNotFoundException {
        return (android.content.pm.PackageInfo) android.sim.Sensitive.call("android.app.ApplicationPackageManager.getPackageInfo", android.content.pm.PackageInfo.class, this, new Object[] {packageName, flags});
    }
    /*@api*/ public java.util.List queryIntentActivities(android.content.Intent intent, int flags) {
        return (java.util.List) android.sim.Sensitive.call("android.app.ApplicationPackageManager.queryIntentActivities", java.util.List.class, this, new Object[] {intent, flags});
    }

    // @surface-methods
}
