package android.view;

import android.os.Handler;
import android.os.Looper;
import android.sim.Bridge;
import android.sim.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process's window stack (activities, dialogs, popups, bottom first). After every change the
 * whole stack, laid out on a 1080x2340 screen, goes to the device as one `windows` message;
 * changes within one main-loop message are coalesced into one report.
 */
public final class WindowManagerGlobal {
    public static final int SCREEN_W = 1080;
    public static final int SCREEN_H = 2340;
    public static final int STATUS_BAR_H = 84;

    private static final WindowManagerGlobal INSTANCE = new WindowManagerGlobal();

    /** One window: the owner is the Activity, Dialog or PopupWindow that added it. */
    public static final class Win {
        public final int id;
        public final String type;
        public final Object owner;
        /** The activity a window belongs to (dialogs and popups stack above their activity). */
        public Object token;
        public String title;
        public View root;
        /** popups: gravity, y offset, width (-1 = match parent), height (-2 = wrap). */
        public int gravity;
        public int x;
        public int y;
        public int width = -1;
        /** Takes input focus (a PopupWindow only when focusable): the window uiautomator dumps. */
        public boolean focusable = true;

        Win(int id, String type, Object owner, String title, View root) {
            this.id = id;
            this.type = type;
            this.owner = owner;
            this.title = title;
            this.root = root;
        }
    }

    private final List<Win> windows = new ArrayList<>();
    private int nextId = 1;
    private boolean scheduled;

    private WindowManagerGlobal() {}

    public static WindowManagerGlobal get() { return INSTANCE; }

    public synchronized Win addWindow(String type, Object owner, String title, View root) {
        return addWindow(type, owner, title, root, "activity".equals(type) ? owner : null);
    }

    /**
     * Adds a window. An activity's window goes below the dialogs and popups it already owns
     * (a dialog shown in onCreate is added before the activity becomes visible, yet sits on top).
     */
    public synchronized Win addWindow(String type, Object owner, String title, View root, Object token) {
        Win w = new Win(nextId++, type, owner, title, root);
        w.token = token;
        int at = windows.size();
        if ("activity".equals(type)) {
            for (int i = 0; i < windows.size(); i++) {
                if (windows.get(i).token == owner) {
                    at = i;
                    break;
                }
            }
        }
        windows.add(at, w);
        invalidate();
        return w;
    }

    public synchronized void removeWindow(Win w) {
        if (windows.remove(w)) invalidate();
    }

    public synchronized List<Win> windows() { return new ArrayList<>(windows); }

    public synchronized Win top() { return windows.isEmpty() ? null : windows.get(windows.size() - 1); }

    public synchronized Win find(int id) {
        for (Win w : windows) if (w.id == id) return w;
        return null;
    }

    public static View findView(Win w, int vid) { return w.root == null ? null : w.root.findByVid(vid); }

    /** Schedules one report on the main thread (before the loop starts it waits in the queue). */
    public void invalidate() {
        Looper main = Looper.getMainLooper();
        if (main == null) return;
        synchronized (this) {
            if (scheduled) return;
            scheduled = true;
        }
        new Handler(main).post(this::report);
    }

    /** Sends the stack now (called on the main thread). */
    public void report() {
        List<Object> out = new ArrayList<>();
        long handled;
        synchronized (this) {
            scheduled = false;
            for (Win w : windows) out.add(snapshot(w));
            handled = handledInput;
        }
        Bridge.send(Json.obj("t", "windows", "windows", out, "animating", android.animation.ValueAnimator.anyRunning(),
                "input", handled));
    }

    /** The last device input (a swipe's sequence number) the app has handled. */
    private long handledInput;

    /**
     * Marks input {@code seq} handled (on the main thread, after its effects): the next report
     * carries it, so the device's {@code input swipe} returns once the app has drawn the result —
     * Android's input injection waits for the app to finish the event (WAIT_FOR_FINISH).
     */
    public void inputHandled(long seq) {
        synchronized (this) {
            handledInput = Math.max(handledInput, seq);
        }
        invalidate();
    }

    private static Map<String, Object> snapshot(Win w) {
        View root = w.root;
        int l = 0, t = 0, width = SCREEN_W;
        if ("activity".equals(w.type)) {
            t = 0;
            if (root != null) root.layout(0, STATUS_BAR_H, SCREEN_W);
            if (root != null) root.bottom = SCREEN_H;
        } else if ("dialog".equals(w.type)) {
            width = 960;
            l = (SCREEN_W - width) / 2;
            int h = root == null ? 0 : root.measureHeight(width);
            t = Math.max(STATUS_BAR_H, (SCREEN_H - h) / 2);
            if (root != null) root.layout(l, t, width);
        } else {
            width = w.width > 0 ? Math.min(w.width, SCREEN_W) : SCREEN_W;
            l = (SCREEN_W - width) / 2 + w.x;
            int h = root == null ? 0 : root.measureHeight(width);
            if (w.gravity == Gravity.BOTTOM) t = SCREEN_H - h - w.y;
            else if (w.gravity == Gravity.TOP) t = STATUS_BAR_H + w.y;
            else t = (SCREEN_H - h) / 2 + w.y;
            if (root != null) root.layout(l, t, width);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id);
        m.put("type", w.type);
        m.put("title", w.title == null ? "" : w.title);
        if (!w.focusable) m.put("focusable", false);
        int[] screen = {0, 0, SCREEN_W, SCREEN_H};
        m.put("root", root == null ? null : root.getVisibility() == View.VISIBLE ? root.snapshot(screen, true) : null);
        return m;
    }
}
