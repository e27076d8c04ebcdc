package android.util;

import android.sim.Bridge;
import android.sim.Json;
import java.io.PrintWriter;
import java.io.StringWriter;

/** logcat: every line goes to the device over the bridge. */
public final class Log {
    public static final int VERBOSE = 2, DEBUG = 3, INFO = 4, WARN = 5, ERROR = 6;

    private Log() {}

    private static int emit(String level, String tag, String msg, Throwable tr) {
        String text = msg == null ? "null" : msg;
        if (tr != null) text = text + "\n" + getStackTraceString(tr);
        Bridge.send(Json.obj("t", "log", "level", level, "tag", tag == null ? "" : tag, "msg", text));
        return text.length();
    }

    public static int v(String tag, String msg) { return emit("V", tag, msg, null); }
    public static int d(String tag, String msg) { return emit("D", tag, msg, null); }
    public static int i(String tag, String msg) { return emit("I", tag, msg, null); }
    public static int w(String tag, String msg) { return emit("W", tag, msg, null); }
    public static int e(String tag, String msg) { return emit("E", tag, msg, null); }
    public static int w(String tag, String msg, Throwable tr) { return emit("W", tag, msg, tr); }
    public static int e(String tag, String msg, Throwable tr) { return emit("E", tag, msg, tr); }

    public static String getStackTraceString(Throwable tr) {
        if (tr == null) return "";
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        tr.printStackTrace(pw);
        pw.flush();
        return sw.toString();
    }
}
