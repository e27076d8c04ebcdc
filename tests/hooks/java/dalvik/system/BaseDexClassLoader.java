package dalvik.system;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
/** Android's base of PathClassLoader and DexClassLoader (a stand-in over class folders). */
public class BaseDexClassLoader extends URLClassLoader {
    public BaseDexClassLoader(String dexPath, File optimizedDirectory, String librarySearchPath, ClassLoader parent) {
        super(urls(dexPath), parent);
    }
    static URL[] urls(String path) {
        String[] parts = path.split(File.pathSeparator);
        URL[] out = new URL[parts.length];
        try { for (int i = 0; i < parts.length; i++) out[i] = new File(parts[i]).toURI().toURL(); }
        catch (MalformedURLException e) { throw new IllegalArgumentException(e); }
        return out;
    }
}
