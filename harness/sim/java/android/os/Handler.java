package android.os;

public class Handler {
    public interface Callback {
        boolean handleMessage(Message msg);
    }

    private final Looper looper;
    private final Callback callback;

    /** Deprecated on Android too: binds to the calling thread's looper. */
    public Handler() { this(Looper.myLooper(), null); }

    public Handler(Looper looper) { this(looper, null); }

    public Handler(Looper looper, Callback callback) {
        if (looper == null) throw new RuntimeException("Can't create handler inside thread that has not called Looper.prepare()");
        this.looper = looper;
        this.callback = callback;
    }

    public final Looper getLooper() { return looper; }

    public void handleMessage(Message msg) {}

    public void dispatchMessage(Message msg) {
        if (msg.callback != null) {
            msg.callback.run();
        } else if (callback == null || !callback.handleMessage(msg)) {
            handleMessage(msg);
        }
    }

    public final boolean post(Runnable r) { return postDelayed(r, 0); }

    public final boolean postDelayed(Runnable r, long delayMillis) {
        Message m = new Message();
        m.callback = r;
        return sendMessageDelayed(m, delayMillis);
    }

    public final boolean postAtTime(Runnable r, long uptimeMillis) {
        Message m = new Message();
        m.callback = r;
        m.target = this;
        return looper.queue.enqueue(m, uptimeMillis);
    }

    public final boolean sendMessage(Message msg) { return sendMessageDelayed(msg, 0); }

    public final boolean sendEmptyMessage(int what) { return sendEmptyMessageDelayed(what, 0); }

    public final boolean sendEmptyMessageDelayed(int what, long delayMillis) {
        Message m = new Message();
        m.what = what;
        return sendMessageDelayed(m, delayMillis);
    }

    public final boolean sendMessageDelayed(Message msg, long delayMillis) {
        msg.target = this;
        return looper.queue.enqueue(msg, SystemClock.uptimeMillis() + Math.max(0, delayMillis));
    }

    public final Message obtainMessage(int what) { return Message.obtain(this, what); }

    public final void removeCallbacks(Runnable r) { looper.queue.remove(this, r, 0, false); }

    public final void removeMessages(int what) { looper.queue.remove(this, null, what, true); }
}
