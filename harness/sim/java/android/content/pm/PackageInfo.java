package android.content.pm;

public class PackageInfo {
    public String packageName;
    public String versionName;
    public int versionCode;
    public long firstInstallTime;
    public ApplicationInfo applicationInfo;

    public PackageInfo() {}
}
