package android.content;

import java.util.HashMap;

public final class ContentValues {
    private final HashMap<String, Object> values = new HashMap<>();

    public ContentValues() {}

    public void put(String k, String v) { values.put(k, v); }

    public Object get(String k) { return values.get(k); }
}
