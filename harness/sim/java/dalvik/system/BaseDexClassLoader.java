package dalvik.system;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Android's base of PathClassLoader and DexClassLoader. The sim's apps ship class folders or jars
 * rather than dex files: the stand-in is a URLClassLoader over {@code dexPath} (entries separated by
 * {@link File#pathSeparator}), parent first, as Android's loaders are.
 */
public class BaseDexClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    public BaseDexClassLoader(String dexPath, File optimizedDirectory, String librarySearchPath, ClassLoader parent) {
        super(urls(dexPath), parent);
    }

    private static URL[] urls(String dexPath) {
        String[] parts = dexPath == null || dexPath.isEmpty() ? new String[0] : dexPath.split(File.pathSeparator);
        URL[] out = new URL[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) out[i] = new File(parts[i]).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad dexPath " + dexPath, e);
        }
        return out;
    }

    @Override public String toString() {
        return getClass().getName() + "[" + java.util.Arrays.toString(getURLs()) + "]";
    }
}
