package android.os;

/** A thread's message loop; the app's main thread runs one like Android's. */
public final class Looper {
    private static final ThreadLocal<Looper> CURRENT = new ThreadLocal<>();
    private static volatile Looper main;

    final MessageQueue queue = new MessageQueue();
    final Thread thread;

    private Looper() { thread = Thread.currentThread(); }

    public static void prepare() {
        if (CURRENT.get() != null) throw new RuntimeException("Only one Looper may be created per thread");
        CURRENT.set(new Looper());
    }

    public static void prepareMainLooper() {
        prepare();
        main = CURRENT.get();
    }

    public static Looper getMainLooper() { return main; }

    public static Looper myLooper() { return CURRENT.get(); }

    public Thread getThread() { return thread; }

    public boolean isCurrentThread() { return Thread.currentThread() == thread; }

    public void quit() { queue.quit(); }

    public void quitSafely() { queue.quit(); }

    public static void loop() {
        Looper me = CURRENT.get();
        if (me == null) throw new RuntimeException("No Looper; Looper.prepare() wasn't called on this thread.");
        while (true) {
            Message m = me.queue.next();
            if (m == null) return;
            m.target.dispatchMessage(m);
        }
    }
}
