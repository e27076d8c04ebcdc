package android.sim;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Free-form app actions of the spec language (`invoke:`): calls any method of the simulator's
 * Android API surface by name, with arguments, on the object Android would give the app (the
 * system service, the ContentResolver, the PackageManager…). The call goes through reflection
 * from the app's own generated method, so the caller frames the tap and the hooks see are the
 * app's. Exceptions of the called method are rethrown as they are (a SecurityException stays one).
 */
public final class Invoke {
    private static final Map<String, String> SERVICES = new HashMap<>();

    static {
        SERVICES.put("android.telephony.TelephonyManager", "phone");
        SERVICES.put("android.location.LocationManager", "location");
        SERVICES.put("android.net.wifi.WifiManager", "wifi");
        SERVICES.put("android.content.ClipboardManager", "clipboard");
        SERVICES.put("android.accounts.AccountManager", "account");
        SERVICES.put("android.app.ActivityManager", "activity");
        SERVICES.put("android.hardware.camera2.CameraManager", "camera");
        SERVICES.put("android.app.DownloadManager", "download");
        SERVICES.put("android.hardware.SensorManager", "sensor");
    }

    private Invoke() {}

    @SuppressWarnings("unchecked")
    public static Object call(android.content.Context ctx, String json) throws Exception {
        Map<String, Object> spec = (Map<String, Object>) Json.parse(json);
        String api = (String) spec.get("api");
        int dot = api.lastIndexOf('.');
        // The app's own loader (as Context.getClassLoader() on Android): it sees the framework
        // and the app's classes; the system loader sees only the framework.
        Class<?> cls = Class.forName(api.substring(0, dot), true, android.app.ActivityThread.appClassLoader());
        String name = api.substring(dot + 1);
        List<Object> args = (List<Object>) spec.get("args");
        List<Object> params = (List<Object>) spec.get("params");
        try {
            if (name.equals("$init")) {
                for (Constructor<?> k : cls.getConstructors()) {
                    Object[] a = fit(ctx, k.getParameterTypes(), args, params);
                    if (a != null) return k.newInstance(a);
                }
                throw new NoSuchMethodException(api + " with " + args);
            }
            for (Method m : cls.getMethods()) {
                if (!m.getName().equals(name)) continue;
                Object[] a = fit(ctx, m.getParameterTypes(), args, params);
                if (a == null) continue;
                Object self = Modifier.isStatic(m.getModifiers()) ? null : receiver(ctx, cls);
                return m.invoke(self, a);
            }
            throw new NoSuchMethodException(api + " with " + args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) throw (Exception) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw e;
        }
    }

    /** The instance an app holds of {@code cls}. */
    static Object receiver(android.content.Context ctx, Class<?> cls) throws Exception {
        if (cls.isInstance(ctx)) return ctx;
        if (cls.isAssignableFrom(android.content.ContentResolver.class)) return ctx.getContentResolver();
        if (android.content.pm.PackageManager.class.isAssignableFrom(cls)) return ctx.getPackageManager();
        if (cls == android.net.wifi.WifiInfo.class) {
            return ((android.net.wifi.WifiManager) ctx.getSystemService("wifi")).getConnectionInfo();
        }
        String svc = SERVICES.get(cls.getName());
        if (svc != null) return ctx.getSystemService(svc);
        for (String factory : new String[] {"getDefault", "getDefaultAdapter", "getInstance"}) {
            try {
                Method f = cls.getMethod(factory);
                if (Modifier.isStatic(f.getModifiers())) return f.invoke(null);
            } catch (NoSuchMethodException e) {
                // next
            }
        }
        try {
            Method f = cls.getMethod("get", android.content.Context.class);
            if (Modifier.isStatic(f.getModifiers())) return f.invoke(null, ctx);
        } catch (NoSuchMethodException e) {
            // next
        }
        return cls.getConstructor().newInstance();
    }

    /** The arguments converted to {@code types}, or null when they do not fit this overload. */
    @SuppressWarnings("unchecked")
    static Object[] fit(android.content.Context ctx, Class<?>[] types, List<Object> args, List<Object> params) {
        if (types.length != args.size()) return null;
        if (params != null) {
            for (int i = 0; i < types.length; i++) {
                if (!spell(types[i]).equals(params.get(i))) return null;
            }
        }
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Object a = args.get(i);
            Class<?> t = types[i];
            if (a instanceof Map) {
                Map.Entry<String, Object> kv = ((Map<String, Object>) a).entrySet().iterator().next();
                Object v = kv.getValue();
                switch (kv.getKey()) {
                    case "uri": a = android.net.Uri.parse(String.valueOf(v)); break;
                    case "context": a = ctx; break;
                    case "resolver": a = ctx.getContentResolver(); break;
                    case "long": a = ((Number) v).longValue(); break;
                    case "float": a = ((Number) v).floatValue(); break;
                    case "double": a = ((Number) v).doubleValue(); break;
                    case "short": a = ((Number) v).shortValue(); break;
                    case "byte": a = ((Number) v).byteValue(); break;
                    case "strings": {
                        List<Object> l = (List<Object>) v;
                        String[] s = new String[l.size()];
                        for (int j = 0; j < s.length; j++) s[j] = String.valueOf(l.get(j));
                        a = s;
                        break;
                    }
                    default: a = null; break;
                }
            } else if (a instanceof Number && !(a instanceof Double)) {
                long n = ((Number) a).longValue();
                if (t == int.class || t == Integer.class) a = (int) n;
                else if (t == long.class || t == Long.class) a = n;
                else if (t == short.class) a = (short) n;
                else if (t == byte.class) a = (byte) n;
                else if (t == float.class) a = (float) n;
                else if (t == double.class) a = (double) n;
            } else if (a instanceof Double) {
                double d = (Double) a;
                if (t == float.class || t == Float.class) a = (float) d;
            }
            if (a == null) {
                if (t.isPrimitive()) return null;
            } else if (!box(t).isInstance(a)) {
                return null;
            }
            out[i] = a;
        }
        return out;
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) return t;
        if (t == int.class) return Integer.class;
        if (t == long.class) return Long.class;
        if (t == boolean.class) return Boolean.class;
        if (t == float.class) return Float.class;
        if (t == double.class) return Double.class;
        if (t == short.class) return Short.class;
        if (t == byte.class) return Byte.class;
        return Character.class;
    }

    private static String spell(Class<?> c) {
        return c.isArray() ? spell(c.getComponentType()) + "[]" : c.getName();
    }
}
