package android.app;

import android.content.SharedPreferences;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Preferences persisted as Android's XML (data/data/PKG/shared_prefs/NAME.xml), written atomically. */
final class SharedPreferencesImpl implements SharedPreferences {
    private static final Pattern ENTRY = Pattern.compile(
        "<(string|boolean|int|long) name=\"([^\"]*)\"(?: value=\"([^\"]*)\" />|>(.*?)</string>)", Pattern.DOTALL);

    private final File file;
    private final Map<String, Object> map = new HashMap<>();

    SharedPreferencesImpl(File file) {
        this.file = file;
        load();
    }

    private void load() {
        if (!file.isFile()) return;
        try {
            String xml = new String(Files.readAllBytes(file.toPath()), StandardCharsets.UTF_8);
            Matcher m = ENTRY.matcher(xml);
            while (m.find()) {
                String k = unescape(m.group(2));
                switch (m.group(1)) {
                    case "string": map.put(k, unescape(m.group(4))); break;
                    case "boolean": map.put(k, Boolean.parseBoolean(m.group(3))); break;
                    case "int": map.put(k, Integer.parseInt(m.group(3))); break;
                    default: map.put(k, Long.parseLong(m.group(3)));
                }
            }
        } catch (IOException | RuntimeException e) {
            android.util.Log.w("SharedPreferencesImpl", "cannot read " + file + ": " + e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    private synchronized boolean write() {
        StringBuilder b = new StringBuilder("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n");
        for (Map.Entry<String, Object> e : new TreeMap<>(map).entrySet()) {
            String k = escape(e.getKey());
            Object v = e.getValue();
            if (v instanceof String) b.append("    <string name=\"").append(k).append("\">").append(escape((String) v)).append("</string>\n");
            else if (v instanceof Boolean) b.append("    <boolean name=\"").append(k).append("\" value=\"").append(v).append("\" />\n");
            else if (v instanceof Integer) b.append("    <int name=\"").append(k).append("\" value=\"").append(v).append("\" />\n");
            else b.append("    <long name=\"").append(k).append("\" value=\"").append(v).append("\" />\n");
        }
        b.append("</map>\n");
        try {
            File dir = file.getParentFile();
            if (!dir.isDirectory() && !dir.mkdirs()) throw new IOException("cannot create " + dir);
            File tmp = new File(dir, file.getName() + ".tmp");
            Files.write(tmp.toPath(), b.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            android.util.Log.w("SharedPreferencesImpl", "cannot write " + file + ": " + e);
            return false;
        }
    }

    @Override public synchronized Map<String, ?> getAll() { return new HashMap<>(map); }

    @Override public synchronized String getString(String key, String d) { Object v = map.get(key); return v instanceof String ? (String) v : d; }

    @Override public synchronized int getInt(String key, int d) { Object v = map.get(key); return v instanceof Integer ? (Integer) v : d; }

    @Override public synchronized long getLong(String key, long d) { Object v = map.get(key); return v instanceof Long ? (Long) v : d; }

    @Override public synchronized boolean getBoolean(String key, boolean d) { Object v = map.get(key); return v instanceof Boolean ? (Boolean) v : d; }

    @Override public synchronized boolean contains(String key) { return map.containsKey(key); }

    @Override
    public Editor edit() {
        return new Editor() {
            private final Map<String, Object> changes = new HashMap<>();
            private boolean clear;

            @Override public Editor putString(String k, String v) { changes.put(k, v); return this; }
            @Override public Editor putInt(String k, int v) { changes.put(k, v); return this; }
            @Override public Editor putLong(String k, long v) { changes.put(k, v); return this; }
            @Override public Editor putBoolean(String k, boolean v) { changes.put(k, v); return this; }
            @Override public Editor remove(String k) { changes.put(k, this); return this; }
            @Override public Editor clear() { clear = true; return this; }

            @Override
            public boolean commit() {
                synchronized (SharedPreferencesImpl.this) {
                    if (clear) map.clear();
                    for (Map.Entry<String, Object> e : changes.entrySet()) {
                        if (e.getValue() == this || e.getValue() == null) map.remove(e.getKey());
                        else map.put(e.getKey(), e.getValue());
                    }
                    return write();
                }
            }

            @Override public void apply() { commit(); }
        };
    }
}
