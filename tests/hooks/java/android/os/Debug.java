package android.os;

/** Stub of android.os.Debug: the debug-wait gate the agent releases. */
public final class Debug {
    private Debug() {}

    public static boolean isDebuggerConnected() {
        return false;
    }

    public static void waitForDebugger() {
        while (!isDebuggerConnected()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
