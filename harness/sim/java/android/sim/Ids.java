package android.sim;

import java.util.HashMap;
import java.util.Map;

/** Resource ids: the sim has no resources table, so ids are handed out by full name ("pkg:id/name"). */
public final class Ids {
    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<Integer, String> BY_ID = new HashMap<>();
    private static int next = 0x7f080000;

    private Ids() {}

    public static synchronized int id(String fullName) {
        Integer v = BY_NAME.get(fullName);
        if (v == null) {
            v = next++;
            BY_NAME.put(fullName, v);
            BY_ID.put(v, fullName);
        }
        return v;
    }

    public static synchronized String name(int id) {
        String n = BY_ID.get(id);
        return n == null ? "" : n;
    }
}
