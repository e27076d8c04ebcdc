package android.os;

import java.util.HashMap;
import java.util.Map;

public class Bundle {
    private final Map<String, Object> map = new HashMap<>();

    public Bundle() {}

    public void putString(String k, String v) { map.put(k, v); }

    public String getString(String k) { Object v = map.get(k); return v instanceof String ? (String) v : null; }

    public void putInt(String k, int v) { map.put(k, v); }

    public int getInt(String k) { Object v = map.get(k); return v instanceof Integer ? (Integer) v : 0; }

    public void putBoolean(String k, boolean v) { map.put(k, v); }

    public boolean getBoolean(String k) { return Boolean.TRUE.equals(map.get(k)); }

    public boolean containsKey(String k) { return map.containsKey(k); }

    public java.util.Set<String> keySet() { return map.keySet(); }

    public Object get(String k) { return map.get(k); }
}
