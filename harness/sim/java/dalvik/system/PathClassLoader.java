package dalvik.system;

/** The loader of an app's own classes (and the SDKs it ships): made when the app binds. */
public class PathClassLoader extends BaseDexClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    public PathClassLoader(String dexPath, ClassLoader parent) {
        super(dexPath, null, null, parent);
    }

    public PathClassLoader(String dexPath, String librarySearchPath, ClassLoader parent) {
        super(dexPath, null, librarySearchPath, parent);
    }
}
