package android.content.res;

import java.util.HashMap;
import java.util.Map;

public class Resources {
    public static final class NotFoundException extends RuntimeException {
        public NotFoundException(String m) { super(m); }
    }
    private final Map<Integer, String> names = new HashMap<>();
    public void register(int id, String name) { names.put(id, name); }
    public String getResourceName(int id) {
        String n = names.get(id);
        if (n == null) throw new NotFoundException("Unable to find resource ID #0x" + Integer.toHexString(id));
        return n;
    }
}
