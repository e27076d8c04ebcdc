package android.animation;

import android.os.Handler;
import android.os.Looper;
import android.os.SystemClock;
import android.view.WindowManagerGlobal;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ValueAnimator: frames on the main looper, an int or float value from start to end
 * over the duration, update listeners called each frame, repeat (INFINITE too).
 *
 * While any animator runs, the process's window reports say "animating": on Android every frame
 * that changes a view is an accessibility event, and `uiautomator dump` waits for a second without
 * events (it fails with "could not get idle state" on a screen that never settles). The
 * `animator_duration_scale` setting is not read: the sim's splash ads are timed by the app itself.
 */
public class ValueAnimator {
    public static final int INFINITE = -1;
    public static final int RESTART = 1;
    /** One frame per 50 ms: enough for the events to be continuous, cheap for the bridge. */
    private static final long FRAME_MS = 50;
    private static int running;

    public interface AnimatorUpdateListener {
        void onAnimationUpdate(ValueAnimator animation);
    }

    private final float from;
    private final float to;
    private final boolean ints;
    private long duration = 300;
    private int repeatCount;
    private long startedAt;
    private boolean started;
    private float fraction;
    private final List<AnimatorUpdateListener> listeners = new ArrayList<>();
    private Handler handler;
    private final Runnable frame = this::frame;

    private ValueAnimator(float from, float to, boolean ints) {
        this.from = from;
        this.to = to;
        this.ints = ints;
    }

    public static ValueAnimator ofInt(int... values) {
        return new ValueAnimator(values.length > 1 ? values[0] : 0, values[values.length - 1], true);
    }

    public static ValueAnimator ofFloat(float... values) {
        return new ValueAnimator(values.length > 1 ? values[0] : 0f, values[values.length - 1], false);
    }

    /** Whether an animator runs in this process (WindowManagerGlobal reports it). */
    public static synchronized boolean anyRunning() { return running > 0; }

    public ValueAnimator setDuration(long ms) {
        duration = Math.max(0, ms);
        return this;
    }

    public long getDuration() { return duration; }

    public void setRepeatCount(int count) { repeatCount = count; }

    public void setRepeatMode(int mode) {}

    public void addUpdateListener(AnimatorUpdateListener l) { listeners.add(l); }

    public Object getAnimatedValue() {
        float v = from + (to - from) * fraction;
        return ints ? (Object) Integer.valueOf(Math.round(v)) : (Object) Float.valueOf(v);
    }

    public float getAnimatedFraction() { return fraction; }

    public boolean isRunning() { return started; }

    public boolean isStarted() { return started; }

    public void start() {
        if (started) return;
        Looper main = Looper.getMainLooper();
        if (main == null) throw new IllegalStateException("Animators may only be run on Looper threads");
        handler = new Handler(main);
        started = true;
        startedAt = SystemClock.uptimeMillis();
        fraction = 0f;
        changed(+1);
        handler.post(frame);
    }

    public void cancel() { finish(); }

    public void end() {
        if (!started) return;
        fraction = 1f;
        notifyListeners();
        finish();
    }

    private void frame() {
        if (!started) return;
        long elapsed = SystemClock.uptimeMillis() - startedAt;
        long cycle = Math.max(1, duration);
        long cycles = elapsed / cycle;
        if (repeatCount != INFINITE && cycles > repeatCount) {
            end();
            return;
        }
        fraction = (elapsed % cycle) / (float) cycle;
        notifyListeners();
        handler.postDelayed(frame, FRAME_MS);
    }

    private void notifyListeners() {
        for (AnimatorUpdateListener l : new ArrayList<>(listeners)) l.onAnimationUpdate(this);
    }

    private void finish() {
        if (!started) return;
        started = false;
        if (handler != null) handler.removeCallbacks(frame);
        changed(-1);
    }

    private static void changed(int delta) {
        synchronized (ValueAnimator.class) {
            running = Math.max(0, running + delta);
        }
        // The device learns of the change with the next window report: schedule one.
        WindowManagerGlobal.get().invalidate();
    }
}
