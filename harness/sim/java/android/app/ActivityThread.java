package android.app;

import android.content.Intent;
import android.net.Uri;
import android.os.Debug;
import android.os.Handler;
import android.os.Looper;
import android.sim.Bridge;
import android.sim.Json;
import android.sim.Perms;
import android.util.Log;
import android.view.View;
import android.view.WindowManagerGlobal;
import android.widget.PopupWindow;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The app process's main class (launch contract in docs/internals.md). Order matters: connect the
 * bridge, then (for `am start -D`) wait for the debugger BEFORE any class of the app is loaded, then
 * Application.onCreate, then the launcher activity, then the main loop until killed.
 */
public final class ActivityThread {
    private static final String TAG = "ActivityThread";
    private static String packageName;
    /** This process's name: the package (the main process) or {@code pkg:push}… (SIM_PROCESS). */
    private static String processName;
    /** Services the manifest declares: class -> the process it runs in (android:process). */
    private static final Map<String, String> SERVICE_PROCESS = new LinkedHashMap<>();
    /** Services created in this process, and those asked for before the app was bound. */
    private static final Map<String, Service> SERVICES = new LinkedHashMap<>();
    private static final List<Intent> EARLY_SERVICES = new ArrayList<>();
    private static int nextStartId = 1;
    private static File dataDir;
    private static Application application;
    /** The app's PathClassLoader (its classes and the SDKs it ships), made at bind. */
    private static volatile ClassLoader appLoader = ClassLoader.getSystemClassLoader();
    private static String appPath;
    private static Handler main;
    private static final Instrumentation INSTRUMENTATION = new Instrumentation();
    private static final List<Activity> ACTIVITIES = new ArrayList<>();
    private static final Set<String> DECLARED = new HashSet<>();
    private static int nextReq = 1;

    /** A pending runtime-permission request (wire id -> who asked). */
    private static final class PermRequest {
        final Activity activity;
        final PermissionCallback callback;
        final String[] perms;
        final int code;

        PermRequest(Activity a, PermissionCallback cb, String[] perms, int code) {
            activity = a;
            callback = cb;
            this.perms = perms;
            this.code = code;
        }
    }

    /** Fragments (androidx / support) receive their own results. */
    public interface PermissionCallback {
        void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults);
    }

    private static final Map<Integer, PermRequest> PENDING = new LinkedHashMap<>();

    private ActivityThread() {}

    public static Application currentApplication() { return application; }

    public static String currentPackageName() { return packageName; }

    public static String currentProcessName() { return processName; }

    private static boolean mainProcess() { return processName.equals(packageName); }

    public static void main(String[] args) throws Exception {
        String appClass = null;
        String activityClass = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--application")) appClass = args[i + 1];
            else if (args[i].equals("--activity")) activityClass = args[i + 1];
            else if (args[i].equals("--app-path")) appPath = args[i + 1];
            else if (args[i].equals("--plugin")) {
                // code the app brought to load itself (a plug-in SDK): where it is, by name
                int eq = args[i + 1].indexOf('=');
                if (eq > 0) System.setProperty("sim.plugin." + args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
            }
        }
        packageName = env("SIM_PACKAGE", "com.example.unknown");
        processName = env("SIM_PROCESS", packageName);
        dataDir = new File(env("SIM_DATA_DIR", System.getProperty("java.io.tmpdir") + "/sim-data/" + packageName));
        readManifest();
        String grants = env("SIM_GRANTS", "");
        Perms.setGranted(grants.isEmpty() ? new ArrayList<>() : Arrays.asList(grants.split(",")));
        Thread.setDefaultUncaughtExceptionHandler(ActivityThread::crash);

        Looper.prepareMainLooper();
        main = new Handler(Looper.getMainLooper());
        Bridge.connect(System.getenv("SIM_BRIDGE"));
        Bridge.send(mainProcess()
            ? Json.obj("t", "hello", "pkg", packageName, "pid", (long) android.os.Process.myPid())
            : Json.obj("t", "hello", "pkg", packageName, "pid", (long) android.os.Process.myPid(), "process", processName));
        Bridge.startReader(msg -> main.post(() -> onDeviceMessage(msg)));

        if ("1".equals(System.getenv("SIM_WAIT_DEBUGGER"))) {
            Log.i(TAG, "Waiting for debugger: " + processName);
            Debug.waitForDebugger();
            Log.i(TAG, "Debugger attached: " + processName);
        }

        final String appCls = appClass;
        // A process started for a service (android:process) binds the app and runs the
        // services the device asks for; only the main process starts the launcher activity.
        final String actCls = mainProcess() ? activityClass : null;
        main.post(() -> {
            bindApplication(appCls);
            if (actCls != null) launch(new Intent().setClassName(packageName, actCls));
            List<Intent> early = new ArrayList<>(EARLY_SERVICES);
            EARLY_SERVICES.clear();
            for (Intent i : early) handleStartService(i);
        });
        Looper.loop();
    }

    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isEmpty() ? d : v;
    }

    @SuppressWarnings("unchecked")
    private static void readManifest() {
        String appDir = System.getenv("SIM_APP_DIR");
        if (appDir == null) return;
        try {
            Object m = Json.parse(new String(Files.readAllBytes(Paths.get(appDir, "manifest.json")), StandardCharsets.UTF_8));
            Object perms = ((Map<String, Object>) m).get("permissions");
            if (perms instanceof List) for (Object p : (List<Object>) perms) DECLARED.add(String.valueOf(p));
            Object services = ((Map<String, Object>) m).get("services");
            if (services instanceof List) {
                for (Object o : (List<Object>) services) {
                    if (!(o instanceof Map)) continue;
                    Map<String, Object> svc = (Map<String, Object>) o;
                    String name = String.valueOf(svc.get("name"));
                    Object proc = svc.get("process");
                    // android:process ":x" is private to the app: <pkg>:x; absent: the main process
                    String p = proc == null ? packageName
                        : String.valueOf(proc).startsWith(":") ? packageName + proc : String.valueOf(proc);
                    SERVICE_PROCESS.put(name, p);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("manifest.json unreadable: " + e);
        }
    }

    /** Android's default: an uncaught exception on any thread kills the app ("FATAL EXCEPTION"). */
    private static void crash(Thread t, Throwable e) {
        Log.e("AndroidRuntime", "FATAL EXCEPTION: " + t.getName() + "\nProcess: " + packageName, e);
        Runtime.getRuntime().halt(1);
    }

    /** The loader of the app's classes ({@code Context.getClassLoader()} on Android). */
    public static ClassLoader appClassLoader() { return appLoader; }

    private static void bindApplication(String cls) {
        // As Android's LoadedApk: the app's loader exists only from here on (after the debug-wait),
        // a child of the framework's; nothing of the app or its SDKs is on the class path.
        if (appPath != null) {
            appLoader = new dalvik.system.PathClassLoader(appPath, ActivityThread.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(appLoader);
        }
        ContextImpl base = new ContextImpl(packageName, dataDir);
        try {
            application = cls == null ? new Application()
                : (Application) Class.forName(cls, true, appLoader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new RuntimeException("Unable to instantiate application " + cls, e);
        }
        application.attach(base);
        INSTRUMENTATION.callApplicationOnCreate(application);
    }

    /** Context.startService: here when the service is of this process, else the device starts its process. */
    static android.content.ComponentName startService(Intent intent) {
        String cls = intent.getClassName();
        String proc = cls == null ? null : SERVICE_PROCESS.get(cls);
        if (proc == null) {
            Log.w(TAG, "Unable to start service " + intent + ": not found");
            return null;
        }
        if (proc.equals(processName)) {
            main.post(() -> handleStartService(intent));
        } else {
            Map<String, Object> extras = new LinkedHashMap<>();
            android.os.Bundle b = intent.getExtras();
            for (String k : b.keySet()) extras.put(k, String.valueOf(b.get(k)));
            Bridge.send(Json.obj("t", "start_service", "service", cls, "process", proc, "extras", extras));
        }
        return new android.content.ComponentName(packageName, cls);
    }

    /** handleCreateService + handleServiceArgs: onCreate once, onStartCommand for every start. */
    private static void handleStartService(Intent intent) {
        if (application == null) {
            EARLY_SERVICES.add(intent);
            return;
        }
        String cls = intent.getClassName();
        Service s = SERVICES.get(cls);
        if (s == null) {
            try {
                s = (Service) Class.forName(cls, true, appLoader).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                Log.w(TAG, "Unable to create service " + cls + ": " + e);
                return;
            }
            SERVICES.put(cls, s);
            s.attach(baseContext());
            s.onCreate();
        }
        s.onStartCommand(intent, 0, nextStartId++);
    }

    private static ContextImpl baseContext() { return (ContextImpl) application.getBaseContext(); }

    /** Starts an activity of this app on top of the stack. */
    static void launch(Intent intent) {
        Activity a;
        try {
            a = (Activity) Class.forName(intent.getClassName(), true, appLoader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            Log.w(TAG, "Unable to start activity " + intent.getClassName() + ": " + e);
            return;
        }
        Activity below = ACTIVITIES.isEmpty() ? null : ACTIVITIES.get(ACTIVITIES.size() - 1);
        if (below != null && below.resumed) INSTRUMENTATION.callActivityOnPause(below);
        ACTIVITIES.add(a);
        a.attach(baseContext(), intent);
        INSTRUMENTATION.callActivityOnCreate(a, null);
        if (a.finishing) return;
        INSTRUMENTATION.callActivityOnStart(a);
        a.window = WindowManagerGlobal.get().addWindow("activity", a, a.windowTitle(), a.decor());
        INSTRUMENTATION.callActivityOnResume(a);
        if (below != null) INSTRUMENTATION.callActivityOnStop(below);
    }

    public static void startActivity(Intent intent) {
        if (isInstallIntent(intent)) {
            Uri u = intent.getData();
            String seg = u == null ? null : u.getLastPathSegment();
            String pkg = seg == null ? "" : seg.endsWith(".apk") ? seg.substring(0, seg.length() - 4) : seg;
            Log.i(TAG, "START u0 " + intent + " (package installer)");
            Bridge.send(Json.obj("t", "install", "package", pkg, "source", "intent"));
            return;
        }
        if (intent.getClassName() != null && packageName.equals(intent.getPackage())) {
            if (Looper.getMainLooper().isCurrentThread()) launch(intent);
            else main.post(() -> launch(intent));
            return;
        }
        Log.i(TAG, "START u0 " + intent + " (no activity of this device handles it)");
    }

    static boolean isInstallIntent(Intent i) {
        return Intent.ACTION_INSTALL_PACKAGE.equals(i.getAction())
            || "application/vnd.android.package-archive".equals(i.getType());
    }

    static void finishActivity(Activity a) {
        Runnable r = () -> {
            if (a.destroyed) return;
            a.finishing = true;
            boolean wasTop = !ACTIVITIES.isEmpty() && ACTIVITIES.get(ACTIVITIES.size() - 1) == a;
            if (a.resumed) INSTRUMENTATION.callActivityOnPause(a);
            INSTRUMENTATION.callActivityOnStop(a);
            INSTRUMENTATION.callActivityOnDestroy(a);
            a.destroyed = true;
            ACTIVITIES.remove(a);
            for (WindowManagerGlobal.Win w : WindowManagerGlobal.get().windows()) {
                if (w == a.window) WindowManagerGlobal.get().removeWindow(w);
                else if (w.owner instanceof Dialog && ((Dialog) w.owner).ownerActivity() == a) ((Dialog) w.owner).dismiss();
            }
            if (wasTop && !ACTIVITIES.isEmpty()) {
                Activity top = ACTIVITIES.get(ACTIVITIES.size() - 1);
                INSTRUMENTATION.callActivityOnStart(top);
                INSTRUMENTATION.callActivityOnResume(top);
            }
        };
        if (Looper.getMainLooper().isCurrentThread()) r.run(); else main.post(r);
    }

    // ---- runtime permissions -------------------------------------------------------------

    public static void requestPermissions(Activity a, PermissionCallback cb, String[] perms, int code) {
        Runnable r = () -> {
            List<String> ask = new ArrayList<>();
            for (String p : perms) {
                if (Perms.isDangerous(p) && !Perms.isGranted(p) && DECLARED.contains(p)) ask.add(p);
                else if (Perms.isDangerous(p) && !DECLARED.contains(p)) Log.w(TAG, "Permission " + p + " not declared in the manifest: denied");
            }
            int req = nextReq++;
            PENDING.put(req, new PermRequest(a, cb, perms, code));
            if (ask.isEmpty()) {
                // never inside requestPermissions itself: Android delivers the result later, on
                // the main thread (and what the app does then is its own call, tapped as such)
                main.post(() -> deliverPermissionResult(req));
            } else {
                Bridge.send(Json.obj("t", "perm_request", "req", (long) req, "perms", ask));
            }
        };
        if (Looper.getMainLooper().isCurrentThread()) r.run(); else main.post(r);
    }

    private static void deliverPermissionResult(int req) {
        PermRequest p = PENDING.remove(req);
        if (p == null) return;
        int[] results = new int[p.perms.length];
        for (int i = 0; i < p.perms.length; i++) {
            boolean ok = Perms.isGranted(p.perms[i]) && (DECLARED.contains(p.perms[i]) || !Perms.isDangerous(p.perms[i]));
            results[i] = ok ? 0 : -1;
        }
        if (p.callback != null) p.callback.onRequestPermissionsResult(p.code, p.perms, results);
        else if (p.activity != null) p.activity.onRequestPermissionsResult(p.code, p.perms, results);
    }

    // ---- device -> app ---------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static void onDeviceMessage(Map<String, Object> m) {
        String t = String.valueOf(m.get("t"));
        switch (t) {
            case "click": {
                WindowManagerGlobal.Win w = WindowManagerGlobal.get().find(num(m.get("window")));
                View v = w == null ? null : WindowManagerGlobal.findView(w, num(m.get("vid")));
                if (v == null) {
                    Log.w(TAG, "click on a view that is gone: " + Json.write(m));
                } else if (v.isEnabled()) {
                    v.performClick();
                }
                break;
            }
            case "key":
                if ("BACK".equals(m.get("key"))) back();
                break;
            case "create_service": {
                // the device (AMS) asks this process to run one of its services
                Intent i = new Intent().setClassName(packageName, String.valueOf(m.get("service")));
                Object extras = m.get("extras");
                if (extras instanceof Map) {
                    for (Map.Entry<String, Object> e : ((Map<String, Object>) extras).entrySet()) i.putExtra(e.getKey(), String.valueOf(e.getValue()));
                }
                handleStartService(i);
                break;
            }
            case "swipe": {
                // input swipe x1 y1 x2 y2: the drag goes to the window under its start; a ScrollView
                // there follows the finger. Drags shorter than the touch slop move nothing.
                WindowManagerGlobal.Win w = WindowManagerGlobal.get().find(num(m.get("window")));
                int y1 = num(m.get("y1"));
                int dy = y1 - num(m.get("y2"));
                android.widget.ScrollView sv = w == null || w.root == null ? null
                        : android.widget.ScrollView.dragTarget(w.root, num(m.get("x1")), y1);
                if (sv != null && Math.abs(dy) >= TOUCH_SLOP_PX) sv.scrollBy(0, dy);
                WindowManagerGlobal.get().inputHandled(num(m.get("seq")));
                break;
            }
            case "grants": {
                Object g = m.get("granted");
                List<String> l = new ArrayList<>();
                if (g instanceof List) for (Object o : (List<Object>) g) l.add(String.valueOf(o));
                Perms.setGranted(l);
                break;
            }
            case "perm_result": {
                Object res = m.get("results");
                if (res instanceof Map) {
                    for (Map.Entry<String, Object> e : ((Map<String, Object>) res).entrySet()) {
                        Perms.grant(e.getKey(), Boolean.TRUE.equals(e.getValue()));
                    }
                }
                deliverPermissionResult(num(m.get("req")));
                break;
            }
            case "text": {
                android.widget.EditText editor = android.widget.EditText.focusedEditor();
                Object typed = m.get("text");
                if (editor == null || !(typed instanceof String)) {
                    Log.d(TAG, "text input ignored (no focused editor)");
                } else {
                    editor.commitText((String) typed);
                }
                break;
            }
            default:
                Log.w(TAG, "unknown device message " + t);
        }
    }

    /** ViewConfiguration's touch slop, 8 dp, at the sim screen's 440 dpi (2.75 px per dp). */
    private static final int TOUCH_SLOP_PX = 22;

    private static int num(Object o) { return o instanceof Number ? ((Number) o).intValue() : -1; }

    private static void back() {
        WindowManagerGlobal.Win top = WindowManagerGlobal.get().top();
        if (top == null) return;
        if (top.owner instanceof PopupWindow) {
            ((PopupWindow) top.owner).onBack();
        } else if (top.owner instanceof Dialog) {
            ((Dialog) top.owner).onBackPressed();
        } else if (top.owner instanceof Activity) {
            ((Activity) top.owner).onBackPressed();
        }
    }
}
