package android.os;

public class HandlerThread extends Thread {
    private volatile Looper looper;

    public HandlerThread(String name) {
        super(name);
        // Why daemon: Android kills the whole process; here background loopers must not keep the JVM alive.
        setDaemon(true);
    }

    @Override
    public void run() {
        Looper.prepare();
        synchronized (this) {
            looper = Looper.myLooper();
            notifyAll();
        }
        Looper.loop();
    }

    public Looper getLooper() {
        synchronized (this) {
            while (looper == null && isAlive()) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return looper;
    }

    public boolean quit() {
        Looper l = getLooper();
        if (l != null) l.quit();
        return l != null;
    }
}
