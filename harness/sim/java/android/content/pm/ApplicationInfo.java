package android.content.pm;

public class ApplicationInfo {
    public static final int FLAG_SYSTEM = 1;
    public String packageName;
    public String name;
    public int flags;
    public String dataDir;
    public String sourceDir;

    public ApplicationInfo() {}
}
