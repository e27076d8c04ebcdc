package android.sim;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ground-truth tap: every call of a sensitive method of the simulator's Android API surface,
 * recorded inside the stub itself (no Frida), one JSON line per call, appended to the device file
 * named by SIM_TAP (/data/system/sim-tap/<package>.jsonl). The test bed reads it over ADB to
 * measure what the harness's hooks saw; the harness never reads it.
 *
 * Each line is written with one write() on an O_APPEND file, so a killed process loses nothing
 * it had recorded and lines of several processes never interleave.
 */
public final class Tap {
    /** Caller frames kept per call (the app's / SDK's frames above the stub). */
    private static final int FRAMES = 10;
    private static final FileOutputStream OUT = open();
    /** The process's name (SIM_PROCESS: {@code pkg:push} for a service process), else the package. */
    private static final String PROCESS = System.getenv().getOrDefault("SIM_PROCESS", System.getenv().getOrDefault("SIM_PACKAGE", ""));

    private Tap() {}

    private static FileOutputStream open() {
        String path = System.getenv("SIM_TAP");
        if (path == null || path.isEmpty()) return null;
        try {
            java.io.File f = new java.io.File(path);
            java.io.File dir = f.getParentFile();
            if (dir != null) dir.mkdirs();
            return new FileOutputStream(f, true);
        } catch (IOException e) {
            System.err.println("sim tap unavailable: " + e);
            return null;
        }
    }

    public static boolean enabled() { return OUT != null; }

    /** Longest argument text kept (String.valueOf of each argument). */
    private static final int ARG_CHARS = 200;

    /** Records one call of {@code api} ('class.method(p1,p2)'); {@code callers} start above the stub. */
    public static void record(String api, Object[] args, List<StackWalker.StackFrame> callers) {
        record(api, args, callers, false);
    }

    /**
     * Records one call the app made, or — {@code framework} — one the framework made by itself
     * (line key "framework": true; absent on the app's calls, so older readers see no change).
     */
    public static void record(String api, Object[] args, List<StackWalker.StackFrame> callers, boolean framework) {
        if (OUT == null) return;
        List<String> texts = new ArrayList<>();
        if (args != null) {
            for (Object a : args) {
                String t = a instanceof Object[] ? java.util.Arrays.toString((Object[]) a) : String.valueOf(a);
                texts.add(t.length() > ARG_CHARS ? t.substring(0, ARG_CHARS) : t);
            }
        }
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < callers.size() && frames.size() < FRAMES; i++) {
            StackWalker.StackFrame f = callers.get(i);
            frames.add(f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")");
        }
        Thread t = Thread.currentThread();
        java.util.Map<String, Object> rec = Json.obj(
            "api", api,
            "t", System.currentTimeMillis(),
            "pid", ProcessHandle.current().pid(),
            "process", PROCESS,
            "tid", t.getId(),
            "thread", t.getName(),
            "args", texts,
            "frames", frames);
        if (framework) rec.put("framework", true);
        String line = Json.write(rec) + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (Tap.class) {
            try {
                OUT.write(bytes);
            } catch (IOException e) {
                // a full disk must not crash the app: the tap is an observer
            }
        }
    }
}
