package android.sim;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks by reflection that every catalog entry exists on the sim's class path exactly as the
 * catalog spells it: class, method (or constructor), parameter types, return type, static-ness,
 * and that it is concrete (Frida hooks on abstract methods never fire). One JSON line per entry.
 * Usage: java -cp CLASSES android.sim.CatalogCheck catalog.json
 */
public final class CatalogCheck {
    private CatalogCheck() {}

    private static Class<?> type(String name) throws ClassNotFoundException {
        int dims = 0;
        while (name.endsWith("[]")) {
            dims++;
            name = name.substring(0, name.length() - 2);
        }
        Class<?> c;
        switch (name) {
            case "int": c = int.class; break;
            case "long": c = long.class; break;
            case "boolean": c = boolean.class; break;
            case "byte": c = byte.class; break;
            case "short": c = short.class; break;
            case "char": c = char.class; break;
            case "float": c = float.class; break;
            case "double": c = double.class; break;
            case "void": c = void.class; break;
            default: c = Class.forName(name, false, ClassLoader.getSystemClassLoader());
        }
        for (int i = 0; i < dims; i++) c = java.lang.reflect.Array.newInstance(c, 0).getClass();
        return c;
    }

    private static String spell(Class<?> c) {
        if (c.isArray()) return spell(c.getComponentType()) + "[]";
        return c.getName();
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Map<String, Object> cat = (Map<String, Object>) Json.parse(
            new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8));
        for (Object o : (List<Object>) cat.get("entries")) {
            Map<String, Object> e = (Map<String, Object>) o;
            List<String> problems = new ArrayList<>();
            String cls = (String) e.get("class");
            String method = (String) e.get("method");
            String ret = e.get("returns") == null ? "void" : (String) e.get("returns");
            boolean stat = Boolean.TRUE.equals(e.get("static"));
            try {
                Class<?> c = type(cls);
                Object ovs = e.get("overloads");
                if (ovs == null) {
                    boolean any = false;
                    for (Method m : c.getDeclaredMethods()) any |= m.getName().equals(method);
                    if (!any) problems.add("no method " + method);
                } else {
                    for (Object ov : (List<Object>) ovs) {
                        List<Object> ps = (List<Object>) ov;
                        Class<?>[] pt = new Class<?>[ps.size()];
                        for (int i = 0; i < pt.length; i++) pt[i] = type((String) ps.get(i));
                        String sig = method + ps;
                        try {
                            if (method.equals("$init")) {
                                Constructor<?> k = c.getDeclaredConstructor(pt);
                                if (Modifier.isAbstract(c.getModifiers())) problems.add(sig + ": class is abstract");
                                if (!Modifier.isPublic(k.getModifiers())) problems.add(sig + ": not public");
                            } else {
                                Method m = c.getDeclaredMethod(method, pt);
                                if (!spell(m.getReturnType()).equals(ret)) problems.add(sig + ": returns " + spell(m.getReturnType()) + ", catalog says " + ret);
                                if (Modifier.isStatic(m.getModifiers()) != stat) problems.add(sig + ": static=" + Modifier.isStatic(m.getModifiers()));
                                if (Modifier.isAbstract(m.getModifiers())) problems.add(sig + ": abstract (hooks would never fire)");
                            }
                        } catch (NoSuchMethodException x) {
                            problems.add(sig + ": missing");
                        }
                    }
                }
            } catch (ClassNotFoundException | LinkageError x) {
                problems.add("class not found: " + x.getMessage());
            }
            System.out.println(Json.write(Json.obj("id", e.get("id"), "ok", problems.isEmpty(), "problems", problems)));
        }
    }
}
