package dalvik.system;

/** A loader an app makes itself, any time, over code it brought (packers, plug-in SDKs). */
public class DexClassLoader extends BaseDexClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    public DexClassLoader(String dexPath, String optimizedDirectory, String librarySearchPath, ClassLoader parent) {
        super(dexPath, null, librarySearchPath, parent);
    }
}
