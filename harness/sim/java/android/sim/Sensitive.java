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
 * Behaviour of every sensitive method of the simulator's Android API surface
 * (harness/sim/framework/surface.json, generated from androguard's mappings and Android's API
 * reference; shipped with the classes as android/sim/surface.tsv). Stub methods — generated from
 * the surface, or hand-written — delegate here: first the ground-truth tap (Tap), then the
 * permission check Android would make (the method's dangerous permissions, any of them; for
 * content providers the provider's read/write permission by URI authority), then a hand-written
 * behaviour, or a plausible per-device default derived from the method's identity value.
 */
public final class Sensitive {
    /** A behaviour: gets the receiver (null for static) and the arguments. */
    public interface Behaviour {
        Object run(Object self, Object[] args) throws Exception;
    }

    /** One surface method: its key, the permissions that guard it (any of), its identity value. */
    public static final class Api {
        public final String key;
        public final String guard;
        public final String value;
        public final String kind;

        Api(String key, String guard, String value, String kind) {
            this.key = key;
            this.guard = guard;
            this.value = value;
            this.kind = kind;
        }
    }

    private static final Map<String, Behaviour> BEHAVIOURS = new HashMap<>();
    private static Map<String, Api> bySig;
    private static Map<String, List<Api>> byName;
    private static Map<String, String[]> providers;
    private static final StackWalker WALKER = StackWalker.getInstance();

    private Sensitive() {}

    public static void define(String api, Behaviour b) { BEHAVIOURS.put(api, b); }

    static {
        Behaviours.install();
    }

    /** surface.tsv: "api\tclass.method(params)\tguard\tvalue\tkind" and "provider\tauthority\tread\twrite". */
    private static synchronized void load() {
        if (bySig != null) return;
        Map<String, Api> sig = new HashMap<>();
        Map<String, List<Api>> name = new HashMap<>();
        Map<String, String[]> prov = new HashMap<>();
        try (InputStream in = ClassLoader.getSystemResourceAsStream("android/sim/surface.tsv")) {
            if (in != null) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String[] f = line.split("\t", -1);
                    if (f.length >= 5 && f[0].equals("api")) {
                        Api a = new Api(f[1], f[2], f[3].isEmpty() ? null : f[3], f[4]);
                        sig.put(a.key, a);
                        name.computeIfAbsent(a.key.substring(0, a.key.indexOf('(')), k -> new ArrayList<>()).add(a);
                    } else if (f.length >= 4 && f[0].equals("provider")) {
                        prov.put(f[1], new String[] {f[2], f[3]});
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("surface resource unreadable: " + e);
        }
        byName = name;
        providers = prov;
        bySig = sig;
    }

    /** Java type names of a method descriptor's parameters: "(Ljava/lang/String;I)V" -> "java.lang.String,int". */
    static String params(String desc) {
        StringBuilder b = new StringBuilder();
        int i = 1;
        while (i < desc.length() && desc.charAt(i) != ')') {
            int dims = 0;
            while (desc.charAt(i) == '[') { dims++; i++; }
            String t;
            char c = desc.charAt(i);
            if (c == 'L') {
                int end = desc.indexOf(';', i);
                t = desc.substring(i + 1, end).replace('/', '.');
                i = end + 1;
            } else {
                switch (c) {
                    case 'Z': t = "boolean"; break;
                    case 'B': t = "byte"; break;
                    case 'C': t = "char"; break;
                    case 'S': t = "short"; break;
                    case 'I': t = "int"; break;
                    case 'J': t = "long"; break;
                    case 'F': t = "float"; break;
                    default: t = "double"; break;
                }
                i++;
            }
            if (b.length() > 0) b.append(',');
            b.append(t);
            for (int d = 0; d < dims; d++) b.append("[]");
        }
        return b.toString();
    }

    /** The surface method a stub implements: its own frame (class, name, descriptor), else by arity. */
    private static Api resolve(String api, Object[] args, StackWalker.StackFrame stub) {
        load();
        if (stub != null) {
            String m = stub.getMethodName().equals("<init>") ? "$init" : stub.getMethodName();
            Api a = bySig.get(stub.getClassName() + "." + m + "(" + params(stub.getDescriptor()) + ")");
            if (a != null) return a;
        }
        for (Api a : byName.getOrDefault(api, Collections.emptyList())) {
            String ps = a.key.substring(a.key.indexOf('(') + 1, a.key.length() - 1);
            int n = ps.isEmpty() ? 0 : ps.split(",").length;
            if (n == (args == null ? 0 : args.length)) return a;
        }
        return null;
    }

    private static final java.util.Set<String> READS = new java.util.HashSet<>(java.util.Arrays.asList(
        "query", "openInputStream", "loadThumbnail"));
    private static final java.util.Set<String> WRITES = new java.util.HashSet<>(java.util.Arrays.asList(
        "insert", "update", "delete", "applyBatch"));

    /** A content provider call needs the provider's permission, chosen by the URI's authority. */
    private static String providerGuard(String api, Object[] args) {
        String method = api.substring(api.lastIndexOf('.') + 1);
        if (!api.startsWith("android.content.ContentResolver.") || args == null || args.length == 0) return null;
        boolean read = READS.contains(method);
        if (!read && !WRITES.contains(method)) return null;
        String arg = String.valueOf(args[0]);
        String auth = method.equals("applyBatch") ? arg : android.net.Uri.authorityOf(arg);
        String[] p = providers.get(auth);
        return p == null ? null : (read ? p[0] : p[1]);
    }

    /*
     * Nesting. Android's overloads delegate (ContentResolver.query 5 args -> 6 -> Bundle) and
     * behaviours call other surface methods; the tap records what the app called, so only the
     * outermost surface call of a thread is tapped. DEPTH counts the surface calls running on
     * this thread; FRAMEWORK counts framework code calling the surface by itself (a widget
     * asking the clipboard), whose calls are tapped with "framework": true.
     */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final ThreadLocal<int[]> FRAMEWORK = ThreadLocal.withInitial(() -> new int[1]);

    /** The surface method the calling stub implements; taps it when it is the outermost call. */
    private static Api tap(String api, Object[] args) {
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s
            .dropWhile(f -> f.getClassName().equals("android.sim.Sensitive"))
            .limit(12).collect(java.util.stream.Collectors.toList()));
        StackWalker.StackFrame stub = frames.isEmpty() ? null : frames.get(0);
        Api a = resolve(api, args, stub);
        if (a != null && DEPTH.get()[0] == 0) {
            Tap.record(a.key, args, frames.subList(Math.min(1, frames.size()), frames.size()),
                FRAMEWORK.get()[0] > 0);
        }
        return a;
    }

    /** Surface calls in progress on this thread, closed by the stub when it returns. */
    public static final class Scope implements AutoCloseable {
        private final int[] depth;

        Scope(int[] depth) { this.depth = depth; depth[0]++; }

        @Override public void close() { depth[0]--; }
    }

    /**
     * Entry of a stub that delegates to another overload, as Android's do (no permission check
     * of its own: the overload it ends in makes it). Taps the call when it is the outermost;
     * calls made until the scope closes are not the app's and are not tapped.
     */
    public static Scope enter(String api, Object[] args) {
        tap(api, args);
        return new Scope(DEPTH.get());
    }

    /** Runs framework code that calls surface methods by itself (not on the app's behalf). */
    public static <T> T framework(java.util.function.Supplier<T> body) {
        int[] f = FRAMEWORK.get();
        f[0]++;
        try {
            return body.get();
        } finally {
            f[0]--;
        }
    }

    /** Tap + permission check for a surface method; returns its identity value (or null). */
    public static String guard(String api, Object[] args) {
        Api a = tap(api, args);
        if (a == null) return null;
        String perm = a.guard;
        String prov = providerGuard(api, args);
        if (prov != null) perm = prov;
        if (perm != null && !perm.isEmpty()) Perms.enforce(perm, api);
        return a.value;
    }

    /** Entry point of every generated (and most hand-written) surface stub. */
    public static Object call(String api, Class<?> ret, Object self, Object[] args) {
        String data = guard(api, args);
        Behaviour b = BEHAVIOURS.get(api);
        // What the behaviour calls (other surface methods) is the framework's doing, not the app's
        try (Scope inside = new Scope(DEPTH.get())) {
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

    /** Device key for a surface identity value. */
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
