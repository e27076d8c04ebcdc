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
 * Checks by reflection that every framework method of the simulator's Android API surface exists
 * on the sim's class path exactly as the surface spells it: class, method (or constructor),
 * parameter types, return type, static-ness, and that it is concrete unless the surface says
 * abstract (Frida hooks on abstract methods never fire). One JSON line per method.
 * Usage: java -cp CLASSES android.sim.SurfaceCheck surface.json
 */
public final class SurfaceCheck {
    private SurfaceCheck() {}

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
            default: c = Class.forName(name, false, android.app.ActivityThread.appClassLoader());
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
        for (Object o : (List<Object>) cat.get("methods")) {
            Map<String, Object> e = (Map<String, Object>) o;
            if (!"framework".equals(e.get("provided_by"))) continue;
            List<String> problems = new ArrayList<>();
            String cls = (String) e.get("class");
            String method = (String) e.get("method");
            String ret = (String) e.get("returns");
            boolean stat = Boolean.TRUE.equals(e.get("static"));
            boolean abs = Boolean.TRUE.equals(e.get("abstract"));
            List<Object> ps = (List<Object>) e.get("params");
            String sig = method + ps;
            try {
                Class<?> c = type(cls);
                Class<?>[] pt = new Class<?>[ps.size()];
                for (int i = 0; i < pt.length; i++) pt[i] = type((String) ps.get(i));
                try {
                    if (method.equals("$init")) {
                        Constructor<?> k = c.getDeclaredConstructor(pt);
                        if (Modifier.isAbstract(c.getModifiers())) problems.add(sig + ": class is abstract");
                        if (!Modifier.isPublic(k.getModifiers())) problems.add(sig + ": not public");
                    } else {
                        Method m = c.getDeclaredMethod(method, pt);
                        if (!spell(m.getReturnType()).equals(ret)) problems.add(sig + ": returns " + spell(m.getReturnType()) + ", the surface says " + ret);
                        if (Modifier.isStatic(m.getModifiers()) != stat) problems.add(sig + ": static=" + Modifier.isStatic(m.getModifiers()));
                        if (Modifier.isAbstract(m.getModifiers()) != abs) problems.add(sig + ": abstract=" + Modifier.isAbstract(m.getModifiers()));
                    }
                } catch (NoSuchMethodException x) {
                    problems.add(sig + ": missing");
                }
            } catch (ClassNotFoundException | LinkageError x) {
                problems.add("class not found: " + x.getMessage());
            }
            System.out.println(Json.write(Json.obj("api", cls + "." + method + ps, "ok", problems.isEmpty(), "problems", problems)));
        }
    }
}
