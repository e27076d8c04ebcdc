package android.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The device identity (SIM_DEVICE JSON): per-device IMEI, ANDROID_ID, MAC, location... */
public final class DeviceInfo {
    private static Map<String, Object> data;

    private DeviceInfo() {}

    @SuppressWarnings("unchecked")
    public static synchronized Map<String, Object> all() {
        if (data == null) {
            String p = System.getenv("SIM_DEVICE");
            Map<String, Object> m = Collections.emptyMap();
            if (p != null && !p.isEmpty()) {
                try {
                    Object v = Json.parse(new String(Files.readAllBytes(Paths.get(p)), StandardCharsets.UTF_8));
                    if (v instanceof Map) m = (Map<String, Object>) v;
                } catch (IOException | RuntimeException e) {
                    System.err.println("SIM_DEVICE unreadable: " + e);
                }
            }
            data = m;
        }
        return data;
    }

    /** A device string; falls back to a stable made-up value so that stubs never return null ids. */
    public static String get(String key, String dflt) {
        Object v = all().get(key);
        if (v == null || v instanceof Map || v instanceof List) return dflt;
        return v.toString();
    }

    public static int sdkInt() {
        try {
            return Integer.parseInt(get("sdk_int", "30"));
        } catch (NumberFormatException e) {
            return 30;
        }
    }

    /** Location as {lat, lon}; accepts {lat, lon|lng}, {latitude, longitude} or [lat, lon]. */
    @SuppressWarnings("unchecked")
    public static double[] location() {
        Object v = all().get("location");
        double lat = 39.9042, lon = 116.4074;
        if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) v;
            Object a = m.containsKey("lat") ? m.get("lat") : m.get("latitude");
            Object b = m.containsKey("lon") ? m.get("lon") : m.containsKey("lng") ? m.get("lng") : m.get("longitude");
            if (a instanceof Number) lat = ((Number) a).doubleValue();
            if (b instanceof Number) lon = ((Number) b).doubleValue();
        } else if (v instanceof List && ((List<Object>) v).size() >= 2) {
            List<Object> l = (List<Object>) v;
            if (l.get(0) instanceof Number) lat = ((Number) l.get(0)).doubleValue();
            if (l.get(1) instanceof Number) lon = ((Number) l.get(1)).doubleValue();
        }
        return new double[] {lat, lon};
    }
}
