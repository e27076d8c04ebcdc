package android.sim;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Behaviour of every catalog method. The stub methods themselves are generated from
 * harness/hooks/catalog.json (so their signatures are the catalog's) and delegate here: first the
 * permission check Android would make (catalog `permission`, chosen by the catalog's own argument
 * matchers when several entries share a method), then a hand-written behaviour, or a plausible
 * per-device default derived from the entry's `data` and the return type.
 */
public final class Sensitive {
    /** A behaviour: gets the receiver (null for static) and the arguments. */
    public interface Behaviour {
        Object run(Object self, Object[] args) throws Exception;
    }

    private static final Map<String, Behaviour> BEHAVIOURS = new HashMap<>();
    private static Map<String, List<Map<String, Object>>> byApi;
    /** SIM_TRACE=1: log every catalog call (id, thread) as logcat tag SimTrace; a test aid, off by default. */
    private static final boolean TRACE = "1".equals(System.getenv("SIM_TRACE"));

    private Sensitive() {}

    public static void define(String api, Behaviour b) { BEHAVIOURS.put(api, b); }

    static {
        Behaviours.install();
    }

    @SuppressWarnings("unchecked")
    private static synchronized Map<String, List<Map<String, Object>>> entries() {
        if (byApi == null) {
            Map<String, List<Map<String, Object>>> m = new HashMap<>();
            try (InputStream in = ClassLoader.getSystemResourceAsStream("android/sim/catalog.json")) {
                if (in != null) {
                    Object v = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    for (Object o : (List<Object>) ((Map<String, Object>) v).get("entries")) {
                        Map<String, Object> e = (Map<String, Object>) o;
                        String api = e.get("class") + "." + e.get("method");
                        m.computeIfAbsent(api, k -> new ArrayList<>()).add(e);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println("catalog resource unreadable: " + e);
            }
            byApi = m;
        }
        return byApi;
    }

    /** The catalog entry a call matches (the first one whose matcher holds), or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> entryFor(String api, Object[] args) {
        List<Map<String, Object>> list = entries().getOrDefault(api, Collections.emptyList());
        for (Map<String, Object> e : list) {
            Object match = e.get("match");
            if (!(match instanceof Map)) return e;
            if (matches((Map<String, Object>) match, args)) return e;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static boolean matches(Map<String, Object> match, Object[] args) {
        int idx = match.get("arg") instanceof Number ? ((Number) match.get("arg")).intValue() : 0;
        if (args == null || idx >= args.length) return false;
        String s = String.valueOf(args[idx]);
        for (Map.Entry<String, Object> kv : match.entrySet()) {
            if (!(kv.getValue() instanceof List)) continue;
            for (Object o : (List<Object>) kv.getValue()) {
                String w = String.valueOf(o);
                switch (kv.getKey()) {
                    case "authority":
                        if (w.equals(android.net.Uri.authorityOf(s))) return true;
                        break;
                    case "prefix": if (s.startsWith(w)) return true; break;
                    case "suffix": if (s.endsWith(w)) return true; break;
                    case "equals": if (s.equals(w)) return true; break;
                    case "contains": if (s.contains(w)) return true; break;
                    default: break;
                }
            }
        }
        return false;
    }

    /** Permission check for a catalog API; returns the matched entry's `data` (or null). */
    public static String guard(String api, Object[] args) {
        Map<String, Object> e = entryFor(api, args);
        if (e == null) return null;
        if (TRACE) {
            Bridge.send(Json.obj("t", "log", "level", "V", "tag", "SimTrace",
                "msg", e.get("id") + " " + Thread.currentThread().getName()));
        }
        Object perm = e.get("permission");
        if (perm instanceof List) {
            StringBuilder b = new StringBuilder();
            for (Object p : (List<?>) perm) { if (b.length() > 0) b.append('|'); b.append(p); }
            perm = b.toString();
        }
        if (perm != null) Perms.enforce(perm.toString(), api);
        Object data = e.get("data");
        return data == null ? null : data.toString();
    }

    /** Entry point of every generated catalog method. */
    public static Object call(String api, Class<?> ret, Object self, Object[] args) {
        String data = guard(api, args);
        Behaviour b = BEHAVIOURS.get(api);
        try {
            if (b != null) return coerce(b.run(self, args), ret);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw Sensitive.<RuntimeException>sneaky(e);
        }
        return coerce(dflt(data, ret), ret);
    }

    /** Rethrows a checked exception (e.g. NameNotFoundException) through a generated stub body. */
    @SuppressWarnings("unchecked")
    public static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private static Object coerce(Object v, Class<?> ret) {
        if (ret == null || !ret.isPrimitive() || ret == void.class) return v;
        if (v != null) return v;
        if (ret == boolean.class) return Boolean.FALSE;
        if (ret == long.class) return 0L;
        if (ret == double.class) return 0.0;
        if (ret == float.class) return 0.0f;
        if (ret == char.class) return '\0';
        return 0;
    }

    /** Device key for a catalog `data` value. */
    public static String deviceValue(String data) {
        if (data == null) return null;
        switch (data) {
            case "mac": case "wifi_mac": case "mac_address": return DeviceInfo.get("wifi_mac", "02:00:00:00:00:00");
            case "bt_mac": case "bluetooth_mac": return DeviceInfo.get("bt_mac", "02:00:00:00:00:01");
            case "phone_number": case "line_number": return DeviceInfo.get("line_number", "+8613800000000");
            case "sim_serial": case "iccid": return DeviceInfo.get("iccid", "89860000000000000000");
            case "advertising_id": case "ad_id": case "gaid": return DeviceInfo.get("ad_id", "00000000-0000-0000-0000-000000000000");
            case "imei": case "device_id": return DeviceInfo.get("imei", "860000000000000");
            default: return DeviceInfo.get(data, null);
        }
    }

    private static Object dflt(String data, Class<?> ret) {
        if (ret == null || ret == void.class) return null;
        if (ret == String.class) {
            String v = deviceValue(data);
            return v != null ? v : "sim-" + (data == null ? "value" : data);
        }
        if (ret.isPrimitive()) return null;
        if (ret.isArray()) return java.lang.reflect.Array.newInstance(ret.getComponentType(), 0);
        if (List.class.isAssignableFrom(ret)) return new ArrayList<>();
        if (ret == byte[].class) return new byte[0];
        if (!ret.isInterface() && !Modifier.isAbstract(ret.getModifiers())) {
            try {
                Constructor<?> c = ret.getDeclaredConstructor();
                if (Modifier.isPublic(c.getModifiers())) return c.newInstance();
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
        return null;
    }
}
